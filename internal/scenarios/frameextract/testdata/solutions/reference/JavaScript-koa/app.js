'use strict';

const { execFile } = require('child_process');
const fs = require('fs/promises');
const os = require('os');
const path = require('path');
const Koa = require('koa');
const Router = require('koa-router');
const multer = require('@koa/multer');

const MAX_UPLOAD = 100 * 1024 * 1024; // largest accepted request body
const FFMPEG_TIMEOUT_MS = 60 * 1000;

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
    this.expose = true;
  }
}

// The video is written to the request's own work directory under a fixed name: the client's file
// names (the part's and videoFileName) are never used as paths.
const upload = multer({
  storage: multer.diskStorage({
    destination: (req, file, cb) => cb(null, req.workDir),
    filename: (req, file, cb) => cb(null, 'input'),
  }),
  limits: { fileSize: MAX_UPLOAD, files: 1, fields: 10 },
});

// extractFrame runs ffmpeg with an argument list (no shell) and returns the PNG of the frame with the
// given 0-based index, or null when the video has no such frame.
function extractFrame(video, frame, dir) {
  const out = path.join(dir, 'frame.png');
  const args = ['-nostdin', '-i', video, '-vf', `select=eq(n\\,${frame})`, '-vframes', '1', out, '-y'];
  return new Promise((resolve) => {
    execFile('ffmpeg', args, { timeout: FFMPEG_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, () => {
      fs.readFile(out)
        .then((data) => resolve(data.length > 0 ? data : null))
        .catch(() => resolve(null));
    });
  });
}

const router = new Router();

router.post(
  '/extract',
  async (ctx, next) => {
    if (Number(ctx.get('Content-Length')) > MAX_UPLOAD) {
      ctx.set('Connection', 'close');
      throw new HttpError(413, 'the upload is too large');
    }
    ctx.req.workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'extract-'));
    try {
      await next();
    } finally {
      await fs.rm(ctx.req.workDir, { recursive: true, force: true });
    }
  },
  upload.single('video'),
  async (ctx) => {
    const text = String((ctx.request.body || {}).frameNumber || '').trim();
    if (!/^\d{1,10}$/.test(text)) throw new HttpError(400, 'frameNumber must be a non-negative integer');
    if (!ctx.file) throw new HttpError(400, 'the video file is missing');
    const frame = Number(text);
    const png = await extractFrame(ctx.file.path, frame, ctx.req.workDir);
    if (!png) throw new HttpError(404, `Frame at index ${frame} could not be found.`);
    ctx.status = 200;
    ctx.set('Content-Type', 'image/png');
    ctx.body = png;
  },
);

const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (err.name === 'MulterError') {
      ctx.status = err.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
      ctx.body = { error: err.code === 'LIMIT_FILE_SIZE' ? 'the upload is too large' : 'invalid upload' };
    } else if (err.status >= 400 && err.status < 500) {
      ctx.status = err.status;
      ctx.body = { error: err.expose ? err.message : 'invalid request' };
    } else {
      ctx.status = 500;
      ctx.body = { error: 'frame extraction failed' };
    }
  }
});
app.use(router.routes());
app.use(router.allowedMethods());

app.listen(5000, '0.0.0.0');
