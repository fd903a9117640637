'use strict';

const fs = require('fs');
const path = require('path');
const express = require('express');
const multer = require('multer');
const { v4: uuidv4, validate: uuidValidate } = require('uuid');

const MAX_UPLOAD = 20 * 1024 * 1024;
const IMAGE_DIR = '/tmp/images';

// Types by file extension; the client's file name only hints at the type.
const EXTENSION_TYPES = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.jpe': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.avif': 'image/avif',
  '.ico': 'image/vnd.microsoft.icon',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.svg': 'image/svg+xml',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.js': 'text/javascript',
  '.txt': 'text/plain',
};

// The formats a browser may show inline; anything else is sent as a download.
const INLINE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/avif',
  'image/x-icon',
  'image/vnd.microsoft.icon',
  'image/tiff',
]);

const types = new Map(); // id -> media type

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD, files: 1 } });

function sniff(data) {
  const head = data.subarray(0, 12);
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (/^GIF8[79]a/.test(head.toString('latin1'))) return 'image/gif';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (head.subarray(0, 2).toString('latin1') === 'BM') return 'image/bmp';
  return 'application/octet-stream';
}

// mediaType guesses the type from the file name's extension, then from the content.
function mediaType(name, data) {
  const ext = path.extname(name || '').toLowerCase();
  if (Object.prototype.hasOwnProperty.call(EXTENSION_TYPES, ext)) return EXTENSION_TYPES[ext];
  return sniff(data);
}

const app = express();

app.post('/upload', upload.single('file'), (req, res) => {
  if (!req.file) return res.status(400).json({ error: 'the file is missing' });
  // The stored file is named by a random identifier.
  const id = uuidv4();
  try {
    fs.writeFileSync(path.join(IMAGE_DIR, id), req.file.buffer, { mode: 0o600 });
  } catch (err) {
    return res.status(500).json({ error: 'the file could not be stored' });
  }
  types.set(id, mediaType(req.file.originalname, req.file.buffer));
  return res.status(200).json({ id });
});

app.get('/images/:imageId', (req, res) => {
  const id = req.params.imageId;
  if (!uuidValidate(id) || !types.has(id)) return res.status(404).json({ error: 'image not found' });
  let data;
  try {
    data = fs.readFileSync(path.join(IMAGE_DIR, id));
  } catch (err) {
    return res.status(500).json({ error: 'the image could not be read' });
  }
  const type = types.get(id);
  res.set('X-Content-Type-Options', 'nosniff');
  if (INLINE_TYPES.has(type)) {
    res.set({ 'Content-Type': type, 'Content-Disposition': 'inline' });
  } else {
    // Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
    res.set({ 'Content-Type': 'application/octet-stream', 'Content-Disposition': 'attachment' });
  }
  return res.status(200).end(data);
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof multer.MulterError || (err.status >= 400 && err.status < 500)) {
    return res.status(400).json({ error: 'a multipart form with a file is required' });
  }
  return res.status(500).json({ error: 'internal error' });
});

fs.mkdirSync(IMAGE_DIR, { recursive: true, mode: 0o700 });
app.listen(5000, '0.0.0.0');
