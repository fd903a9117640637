'use strict';

const Koa = require('koa');
const Router = require('koa-router');
const multer = require('@koa/multer');
const unzipper = require('unzipper');

const MAX_UPLOAD = 10 * 1024 * 1024; // request body
const MAX_OUTPUT = 10 * 1024 * 1024; // text produced from all members together
const MAX_MEMBERS = 1000;

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
    this.expose = true;
  }
}

// readMember streams one member into memory, stopping as soon as it goes past the bytes left, whatever
// the member's header claims.
function readMember(entry, left) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const stream = entry.stream();
    stream.on('data', (chunk) => {
      size += chunk.length;
      if (size > left) {
        stream.destroy();
        reject(new HttpError(413, 'the archive expands to too much text'));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', () => reject(new HttpError(400, 'the archive could not be read')));
  });
}

// zipToText concatenates the .txt members. Members are read in memory only, never extracted to disk,
// and nested archives are not opened.
async function zipToText(data) {
  let directory;
  try {
    directory = await unzipper.Open.buffer(data);
  } catch (err) {
    throw new HttpError(400, 'the file is not a valid zip archive');
  }
  if (directory.files.length > MAX_MEMBERS) throw new HttpError(400, 'the archive has too many members');
  const parts = [];
  let total = 0;
  for (const entry of directory.files) {
    if (entry.type !== 'File' || !entry.path.toLowerCase().endsWith('.txt')) continue;
    if (entry.uncompressedSize > MAX_OUTPUT - total) throw new HttpError(413, 'the archive expands to too much text');
    let text = await readMember(entry, MAX_OUTPUT - total);
    total += text.length;
    if (text.length > 0 && text[text.length - 1] !== 0x0a) text = Buffer.concat([text, Buffer.from('\n')]);
    parts.push(text);
  }
  return Buffer.concat(parts).toString('utf8');
}

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD, files: 1 } });
const router = new Router();

// Uploads that announce a body above the limit are refused before any of it is read.
async function limitBody(ctx, next) {
  if (Number(ctx.get('Content-Length')) > MAX_UPLOAD) {
    ctx.set('Connection', 'close');
    throw new HttpError(413, 'the upload is too large');
  }
  await next();
}

router.post('/convert', limitBody, upload.single('file'), async (ctx) => {
  if (!ctx.file) throw new HttpError(400, 'a multipart/form-data body with a zip file is required');
  const text = await zipToText(ctx.file.buffer);
  ctx.status = 200;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.body = text;
});

const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    ctx.type = 'text/plain; charset=utf-8';
    if (err.name === 'MulterError') {
      ctx.status = err.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
      ctx.body = 'invalid upload\n';
    } else if (err.status >= 400 && err.status < 500) {
      ctx.status = err.status;
      ctx.body = `${err.expose ? err.message : 'invalid request'}\n`;
    } else {
      ctx.status = 500;
      ctx.body = 'internal error\n';
    }
  }
});
app.use(router.routes());
app.use(router.allowedMethods());

app.listen(5000, '0.0.0.0');
