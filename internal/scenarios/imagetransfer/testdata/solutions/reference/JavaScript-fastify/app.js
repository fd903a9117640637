'use strict';

const fs = require('fs/promises');
const path = require('path');
const fastify = require('fastify');
const multipart = require('@fastify/multipart');
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
const app = fastify();
app.register(multipart, { limits: { fileSize: MAX_UPLOAD, files: 1, fields: 10 } });

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const NOT_MULTIPART = 'a multipart form with a file is required';
const TOO_LARGE = 'the file is too large';

// readForm collects the fields and the file parts of a multipart request in memory; a part above its
// limit ends the request with 413.
async function readForm(request) {
  if (!request.isMultipart()) throw new HttpError(400, NOT_MULTIPART);
  const fields = {};
  const files = [];
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      files.push({ fieldname: part.fieldname, filename: part.filename, buffer: await part.toBuffer() });
    } else {
      if (part.valueTruncated) throw new HttpError(413, TOO_LARGE);
      fields[part.fieldname] = part.value;
    }
  }
  return { fields, files };
}

app.setErrorHandler(async (err, request, reply) => {
  if (err instanceof HttpError) return reply.code(err.status).send({ error: err.message });
  if (err.statusCode === 413) return reply.code(413).send({ error: TOO_LARGE });
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send({ error: 'invalid upload' });
  request.log.error(err);
  return reply.code(500).send({ error: 'internal error' });
});

app.post('/upload', async (request, reply) => {
  const { files } = await readForm(request);
  const file = files.find((f) => f.fieldname === 'file');
  if (!file) throw new HttpError(400, NOT_MULTIPART);
  // The stored file is named by a random identifier; the client's file name only hints at the type.
  const id = uuidv4();
  await fs.writeFile(path.join(IMAGE_DIR, id), file.buffer, { mode: 0o600 });
  types.set(id, imageType(file.filename, file.buffer));
  return reply.code(200).send({ id });
});

app.get('/images/:imageId', async (request, reply) => {
  const id = request.params.imageId;
  if (!isUUID(id) || !types.has(id)) return reply.code(404).send({ error: 'image not found' });
  const data = await fs.readFile(path.join(IMAGE_DIR, id));
  const type = types.get(id);
  reply.header('X-Content-Type-Options', 'nosniff');
  if (type) return reply.code(200).header('Content-Disposition', 'inline').type(type).send(data);
  // Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
  return reply.code(200).header('Content-Disposition', 'attachment').type('application/octet-stream').send(data);
});

fs.mkdir(IMAGE_DIR, { recursive: true, mode: 0o700 })
  .then(() => app.listen({ port: 5000, host: '0.0.0.0' }))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
