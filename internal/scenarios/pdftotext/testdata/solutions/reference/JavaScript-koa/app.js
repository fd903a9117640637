'use strict';

const { execFile } = require('child_process');
const fs = require('fs/promises');
const os = require('os');
const path = require('path');
const Koa = require('koa');
const Router = require('koa-router');
const multer = require('@koa/multer');

// Bounds the upload; larger files are refused before any processing.
const MAX_UPLOAD = 5 * 1024 * 1024;

// drain reads and discards what the client still sends (up to a bound), so that an early error answer
// reaches it instead of a reset connection.
function drain(req, max) {
  return new Promise((resolve) => {
    if (req.complete) return resolve();
    let seen = 0;
    req.on('data', (chunk) => {
      seen += chunk.length;
      if (seen > max) {
        req.destroy();
        resolve();
      }
    });
    req.on('end', resolve);
    req.on('close', resolve);
    req.on('error', resolve);
    req.resume();
  });
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
    this.expose = true;
  }
}

function pdfToText(file) {
  return new Promise((resolve, reject) => {
    execFile('pdftotext', ['-enc', 'UTF-8', file, '-'], { timeout: 30000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout) => {
      if (err) return reject(new HttpError(500, 'the file could not be converted'));
      return resolve(stdout);
    });
  });
}

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD, files: 1 } });
const router = new Router();

router.post('/convert', upload.single('file'), async (ctx) => {
  if (!ctx.file) throw new HttpError(400, 'a multipart/form-data body with a file is required');
  if (ctx.file.size === 0) throw new HttpError(400, 'the file is empty');
  // The client's file name is never used: the upload goes to a fresh directory under a fixed name.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pdf2txt-'));
  try {
    const input = path.join(dir, 'input.pdf');
    await fs.writeFile(input, ctx.file.buffer, { mode: 0o600 });
    const text = await pdfToText(input);
    ctx.status = 200;
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = text;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

const app = new Koa();
app.use(async (ctx, next) => {
  if (Number(ctx.get('Content-Length')) > MAX_UPLOAD + 64 * 1024) {
    await drain(ctx.req, 128 * 1024 * 1024);
    ctx.status = 413;
    ctx.body = { error: 'the file is too large' };
    return;
  }
  try {
    await next();
  } catch (err) {
    await drain(ctx.req, 128 * 1024 * 1024);
    if (err.name === 'MulterError') {
      ctx.status = err.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
      ctx.body = { error: err.code === 'LIMIT_FILE_SIZE' ? 'the file is too large' : 'malformed upload' };
    } else if (err.status >= 400 && err.status < 600 && err.expose) {
      ctx.status = err.status;
      ctx.body = { error: err.message };
    } else {
      ctx.status = err.status >= 400 && err.status < 500 ? 400 : 500;
      ctx.body = { error: ctx.status === 400 ? 'invalid request' : 'internal error' };
    }
  }
});
app.use(router.routes());
app.use(router.allowedMethods());

app.listen(5000, '0.0.0.0');
