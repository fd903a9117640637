'use strict';

const express = require('express');
const multer = require('multer');
const unzipper = require('unzipper');

const MAX_UPLOAD = 10 * 1024 * 1024; // the uploaded archive
const MAX_OUTPUT = 10 * 1024 * 1024; // text produced from all members together
const MAX_MEMBERS = 1000;

class Refused extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD, files: 1 } });

function sendText(res, status, message) {
  return res.status(status).type('text/plain').send(message);
}

function isText(name) {
  return name.toLowerCase().endsWith('.txt');
}

// readMember reads one member into memory, stopping as soon as it exceeds what is left of the budget,
// whatever the member's header claims.
function readMember(entry, left) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let n = 0;
    const stream = entry.stream();
    stream.on('data', (chunk) => {
      n += chunk.length;
      if (n > left) {
        stream.destroy();
        reject(new Refused(413, 'the archive expands to too much text'));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', () => reject(new Refused(400, 'the archive could not be read')));
  });
}

// Members are read in memory only, never extracted to disk, and nested archives are not opened.
async function archiveText(data) {
  let directory;
  try {
    directory = await unzipper.Open.buffer(data);
  } catch (err) {
    throw new Refused(400, 'the file is not a valid zip archive');
  }
  if (directory.files.length > MAX_MEMBERS) throw new Refused(400, 'the archive has too many members');
  const parts = [];
  let total = 0;
  for (const entry of directory.files) {
    if (entry.type !== 'File' || !isText(entry.path)) continue;
    const content = await readMember(entry, MAX_OUTPUT - total);
    total += content.length;
    let text = content.toString('utf8');
    if (text.length > 0 && !text.endsWith('\n')) text += '\n';
    parts.push(text);
  }
  return parts.join('');
}

const app = express();

app.post(
  '/convert',
  (req, res, next) => {
    if (Number(req.headers['content-length']) > MAX_UPLOAD + 64 * 1024) return sendText(res, 413, 'the upload is too large');
    return next();
  },
  upload.single('file'),
  async (req, res) => {
    if (!req.file) return sendText(res, 400, 'no file was uploaded');
    try {
      return sendText(res, 200, await archiveText(req.file.buffer));
    } catch (err) {
      if (err instanceof Refused) return sendText(res, err.status, err.message);
      return sendText(res, 500, 'the archive could not be read');
    }
  },
);

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof multer.MulterError) {
    return err.code === 'LIMIT_FILE_SIZE' ? sendText(res, 413, 'the upload is too large') : sendText(res, 400, 'malformed upload');
  }
  if (err.status >= 400 && err.status < 500) return sendText(res, 400, 'a multipart/form-data body with a zip file is required');
  return sendText(res, 500, 'internal error');
});

app.listen(5000, '0.0.0.0');
