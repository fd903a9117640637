'use strict';

const { execFile } = require('child_process');
const fs = require('fs/promises');
const os = require('os');
const path = require('path');
const Koa = require('koa');
const Router = require('koa-router');
const multer = require('@koa/multer');

const MAX_UPLOAD = 50 * 1024 * 1024; // whole request body
const MAX_FILES = 50;
const INVALID = 'Invalid input or missing files.';
const FAILED = 'An error occurred while processing the files.';

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

function pdfunite(args) {
  return new Promise((resolve, reject) => {
    execFile('pdfunite', args, { timeout: 60000 }, (err) => (err ? reject(new HttpError(500, FAILED)) : resolve()));
  });
}

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD, files: MAX_FILES } });
const router = new Router();

router.post('/concatenate', upload.array('files', MAX_FILES), async (ctx) => {
  const files = ctx.files || [];
  if (files.length === 0) throw new HttpError(400, INVALID);
  if (!files.every((f) => f.buffer.subarray(0, 5).toString('latin1') === '%PDF-')) {
    throw new HttpError(400, 'Every file must be a PDF document.');
  }
  // Client file names are never used: each upload is stored under a generated name in a fresh
  // directory, and pdfunite gets the paths as separate arguments (no shell).
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pdfcat-'));
  try {
    const inputs = [];
    for (const [i, f] of files.entries()) {
      const p = path.join(dir, `input-${String(i).padStart(3, '0')}.pdf`);
      await fs.writeFile(p, f.buffer, { mode: 0o600 });
      inputs.push(p);
    }
    const out = path.join(dir, 'concatenated.pdf');
    await pdfunite([...inputs, out]);
    const result = await fs.readFile(out);
    ctx.status = 200;
    ctx.set('Content-Type', 'application/pdf');
    ctx.body = result;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

const app = new Koa();
app.use(async (ctx, next) => {
  if (Number(ctx.get('Content-Length')) > MAX_UPLOAD) {
    await drain(ctx.req, 128 * 1024 * 1024);
    ctx.status = 413;
    ctx.body = { error: 'The upload is too large.' };
    return;
  }
  try {
    await next();
  } catch (err) {
    await drain(ctx.req, 128 * 1024 * 1024);
    if (err.name === 'MulterError') {
      ctx.status = err.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
      ctx.body = { error: err.code === 'LIMIT_FILE_SIZE' ? 'The upload is too large.' : INVALID };
    } else if (err.status >= 400 && err.status < 600 && err.expose) {
      ctx.status = err.status;
      ctx.body = { error: err.message };
    } else {
      ctx.status = err.status >= 400 && err.status < 500 ? 400 : 500;
      ctx.body = { error: ctx.status === 400 ? INVALID : FAILED };
    }
  }
});
app.use(router.routes());
app.use(router.allowedMethods());

app.listen(5000, '0.0.0.0');
