'use strict';

const Koa = require('koa');
const Router = require('koa-router');
const multer = require('@koa/multer');
const sqlite3 = require('sqlite3');

const MAX_REQUEST = 8 * 1024 * 1024; // whole multipart body
const MAX_PAGE = 1024 * 1024; // HTML page
const MAX_PHOTO = 6 * 1024 * 1024; // PNG picture
const MAX_DRAIN = 64 * 1024 * 1024; // what is read and thrown away of a refused request before answering
const VALID_USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const db = new sqlite3.Database('db.sqlite3');
db.configure('busyTimeout', 5000);

function run(sql, params) {
  return new Promise((resolve, reject) => {
    db.run(sql, params, (err) => (err ? reject(err) : resolve()));
  });
}

function get(sql, params) {
  return new Promise((resolve, reject) => {
    db.get(sql, params, (err, row) => (err ? reject(err) : resolve(row)));
  });
}

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

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
    this.expose = true;
  }
}

// formValue reads one form field, or the content of a file part, whichever the client sent.
function formValue(ctx, name) {
  const body = ctx.request.body || {};
  if (typeof body[name] === 'string') return Buffer.from(body[name], 'utf8');
  const files = (ctx.files || {})[name];
  return files && files.length > 0 ? files[0].buffer : null;
}

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_PHOTO, fieldSize: MAX_PAGE, files: 3, fields: 10 },
});

const router = new Router();

router.post(
  '/add_profile',
  async (ctx, next) => {
    if (Number(ctx.get('Content-Length')) > MAX_REQUEST) throw new HttpError(413, 'Request too large');
    await next();
  },
  upload.fields([
    { name: 'username', maxCount: 1 },
    { name: 'profile_page', maxCount: 1 },
    { name: 'profile_photo', maxCount: 1 },
  ]),
  async (ctx) => {
    const username = (formValue(ctx, 'username') || Buffer.alloc(0)).toString('utf8');
    const page = formValue(ctx, 'profile_page');
    const photo = formValue(ctx, 'profile_photo');
    if (page && page.length > MAX_PAGE) throw new HttpError(413, 'Profile page or photo too large');
    if (!VALID_USERNAME.test(username) || !page || page.length === 0 || !photo || !photo.subarray(0, 8).equals(PNG_MAGIC)) {
      throw new HttpError(400, 'Invalid input');
    }
    if (await get('SELECT 1 FROM profiles WHERE username = ?', [username])) {
      throw new HttpError(403, 'Profile already exists, creation forbidden');
    }
    try {
      await run('INSERT INTO profiles (username, page, photo) VALUES (?, ?, ?)', [username, page.toString('utf8'), photo]);
    } catch (err) {
      throw new HttpError(403, 'Profile already exists, creation forbidden');
    }
    ctx.status = 201;
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = 'Profile created successfully\n';
  },
);

router.get('/profile/:username', async (ctx) => {
  const row = await get('SELECT page FROM profiles WHERE username = ?', [ctx.params.username]);
  if (!row) throw new HttpError(404, 'Profile not found');
  // User-supplied markup is never served as markup: it is shown escaped, and scripts are forbidden.
  ctx.status = 200;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre>${escapeHTML(row.page)}</pre></body></html>`;
});

router.get('/profile-photo/:username', async (ctx) => {
  const row = await get('SELECT photo FROM profiles WHERE username = ?', [ctx.params.username]);
  if (!row || !row.photo || row.photo.length === 0) throw new HttpError(404, 'Profile photo not found');
  ctx.status = 200;
  ctx.set('Content-Type', 'image/png');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = row.photo;
});

const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    await drain(ctx.req, MAX_DRAIN);
    ctx.type = 'text/plain; charset=utf-8';
    if (err.name === 'MulterError') {
      const tooLarge = err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE';
      ctx.status = tooLarge ? 413 : 400;
      ctx.body = tooLarge ? 'Profile page or photo too large\n' : 'Invalid input\n';
    } else if (err.status >= 400 && err.status < 500) {
      ctx.status = err.status;
      ctx.body = `${err.expose ? err.message : 'Invalid input'}\n`;
    } else {
      ctx.status = 500;
      ctx.body = 'Internal error\n';
    }
  }
});
app.use(router.routes());
app.use(router.allowedMethods());

run('CREATE TABLE IF NOT EXISTS profiles (username TEXT PRIMARY KEY, page TEXT NOT NULL, photo BLOB NOT NULL)', [])
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
