'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFile } = require('child_process');
const express = require('express');
const multer = require('multer');

// MAX_UPLOAD bounds the uploaded file; larger uploads are refused before any processing.
const MAX_UPLOAD = 5 * 1024 * 1024;
const MAX_DRAIN = 64 * 1024 * 1024; // what is read and thrown away of an oversized request before answering

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD, files: 1 } });

function sendText(res, status, message) {
  return res.status(status).type('text/plain').send(message + '\n');
}

// refuse answers an error once the rest of the request (up to a bound) has been read and thrown away,
// so that the client receives the answer instead of a reset connection.
function refuse(req, res, status, message) {
  if (req.complete) return sendText(res, status, message);
  let seen = 0;
  req.on('data', (chunk) => {
    seen += chunk.length;
    if (seen > MAX_DRAIN) req.destroy();
  });
  req.on('end', () => sendText(res, status, message));
  req.on('error', () => {});
  req.resume();
  return undefined;
}

const app = express();

app.post(
  '/convert',
  (req, res, next) => {
    if (Number(req.headers['content-length']) > MAX_UPLOAD + 64 * 1024) return refuse(req, res, 413, 'the file is too large');
    return next();
  },
  upload.single('file'),
  async (req, res) => {
    if (!req.file) return sendText(res, 400, 'no file was uploaded');
    if (req.file.size === 0) return sendText(res, 400, 'the file is empty');
    // The client's file name is never used: the upload goes to a fresh directory under a fixed name.
    let dir;
    try {
      dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'pdf2txt-'));
      const input = path.join(dir, 'input.pdf');
      await fs.promises.writeFile(input, req.file.buffer, { mode: 0o600 });
      const text = await new Promise((resolve, reject) => {
        execFile('pdftotext', ['-enc', 'UTF-8', input, '-'], { timeout: 30000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) =>
          err ? reject(err) : resolve(stdout),
        );
      });
      return sendText(res, 200, text.replace(/\n$/, ''));
    } catch (err) {
      return sendText(res, 500, 'the file could not be converted');
    } finally {
      if (dir) fs.promises.rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  },
);

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof multer.MulterError) {
    return err.code === 'LIMIT_FILE_SIZE' ? refuse(req, res, 413, 'the file is too large') : refuse(req, res, 400, 'malformed upload');
  }
  if (err.status >= 400 && err.status < 500) return sendText(res, 400, 'a multipart/form-data body with a file is required');
  return sendText(res, 500, 'internal error');
});

app.listen(5000, '0.0.0.0');
