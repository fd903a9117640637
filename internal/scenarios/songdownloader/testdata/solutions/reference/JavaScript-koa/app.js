'use strict';

const fs = require('fs');
const path = require('path');
const Koa = require('koa');
const Router = require('koa-router');
const bodyParser = require('koa-bodyparser');

const SONG_DIR = '/var/songs';

// validName accepts a plain file name: no directory parts, no parent references, no control characters.
function validName(name) {
  if (typeof name !== 'string' || name === '' || name.length > 255) return false;
  if (name.includes('..') || /[\/\\\x00-\x1f\x7f]/.test(name)) return false;
  return path.basename(name) === name;
}

// openSong resolves the name inside the song directory, following links, and returns an open stream
// only when the real file is a regular file directly in that directory.
async function openSong(name) {
  let base;
  let full;
  try {
    base = await fs.promises.realpath(SONG_DIR);
    full = await fs.promises.realpath(path.join(base, name));
  } catch (err) {
    return null;
  }
  if (path.dirname(full) !== base) return null;
  const handle = await fs.promises.open(full, 'r').catch(() => null);
  if (!handle) return null;
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    return null;
  }
  return handle.createReadStream();
}

const router = new Router();

router.post('/download', async (ctx) => {
  const body = ctx.request.body;
  if (!body || typeof body !== 'object' || !validName(body.filename)) {
    ctx.status = 400;
    ctx.body = { error: 'invalid input' };
    return;
  }
  const stream = await openSong(body.filename);
  if (!stream) {
    ctx.status = 404;
    ctx.body = { error: 'song not found' };
    return;
  }
  ctx.status = 200;
  ctx.body = stream;
  ctx.set('Content-Type', 'audio/mpeg');
});

const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const client = err.status >= 400 && err.status < 500;
    ctx.status = client ? 400 : 500;
    ctx.body = { error: client ? 'invalid input' : 'internal error' };
  }
});
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '64kb' }));
app.use(router.routes());
app.use(router.allowedMethods());

app.listen(5000, '0.0.0.0');
