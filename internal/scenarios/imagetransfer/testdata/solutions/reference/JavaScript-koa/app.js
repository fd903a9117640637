'use strict';

const fs = require('fs/promises');
const path = require('path');
const Koa = require('koa');
const Router = require('koa-router');
const multer = require('@koa/multer');
const { v4: uuidv4, validate: isUUID } = require('uuid');

const MAX_UPLOAD = 20 * 1024 * 1024;
const IMAGE_DIR = '/tmp/images';

// Types by file extension; only the image formats a browser shows safely are served inline.
const BY_EXTENSION = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};
const SIGNATURES = [
  [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png'],
  [Buffer.from([0xff, 0xd8, 0xff]), 'image/jpeg'],
  [Buffer.from('GIF87a'), 'image/gif'],
  [Buffer.from('GIF89a'), 'image/gif'],
  [Buffer.from('BM'), 'image/bmp'],
];

// imageType guesses the type from the file name's extension, then from the content. Anything that is
// not a known image is null and is later sent as a download.
function imageType(name, data) {
  const byName = BY_EXTENSION[path.extname(name || '').toLowerCase()];
  if (byName) return byName;
  for (const [sig, type] of SIGNATURES) {
    if (data.subarray(0, sig.length).equals(sig)) return type;
  }
  if (data.subarray(0, 4).toString() === 'RIFF' && data.subarray(8, 12).toString() === 'WEBP') return 'image/webp';
  return null;
}

const types = new Map(); // id -> image type, or null when not an image
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD, files: 1 } });
const router = new Router();

router.post('/upload', upload.single('file'), async (ctx) => {
  const file = ctx.file;
  if (!file) {
    ctx.status = 400;
    ctx.body = { error: 'a multipart form with a file is required' };
    return;
  }
  // The stored file is named by a random identifier; the client's file name only hints at the type.
  const id = uuidv4();
  await fs.writeFile(path.join(IMAGE_DIR, id), file.buffer, { mode: 0o600 });
  types.set(id, imageType(file.originalname, file.buffer));
  ctx.status = 200;
  ctx.body = { id };
});

router.get('/images/:imageId', async (ctx) => {
  const id = ctx.params.imageId;
  if (!isUUID(id) || !types.has(id)) {
    ctx.status = 404;
    ctx.body = { error: 'image not found' };
    return;
  }
  const data = await fs.readFile(path.join(IMAGE_DIR, id));
  const type = types.get(id);
  ctx.set('X-Content-Type-Options', 'nosniff');
  if (type) {
    ctx.set('Content-Disposition', 'inline');
    ctx.type = type;
  } else {
    // Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
    ctx.set('Content-Disposition', 'attachment');
    ctx.type = 'application/octet-stream';
  }
  ctx.status = 200;
  ctx.body = data;
});

const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const client = err.name === 'MulterError' || (err.status >= 400 && err.status < 500);
    ctx.status = client ? 400 : 500;
    ctx.body = { error: client ? 'invalid upload' : 'internal error' };
  }
});
app.use(router.routes());
app.use(router.allowedMethods());

fs.mkdir(IMAGE_DIR, { recursive: true, mode: 0o700 })
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
