'use strict';

const Koa = require('koa');
const Router = require('koa-router');
const bodyParser = require('koa-bodyparser');
const sqlite3 = require('sqlite3');

const MAX_LIMIT = 1000;
const MAX_OFFSET = 2 ** 31 - 1;

const db = new sqlite3.Database('db.sqlite3');

function run(sql, params) {
  return new Promise((resolve, reject) => {
    db.run(sql, params, (err) => (err ? reject(err) : resolve()));
  });
}

function all(sql, params) {
  return new Promise((resolve, reject) => {
    db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows)));
  });
}

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

// intParam reads a non-negative integer query parameter, def when absent, null when invalid.
function intParam(value, def, max) {
  if (value === undefined || value === '') return def;
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return null;
  const n = Number(value);
  return n <= max ? n : null;
}

async function postMessage(body) {
  if (!body || typeof body !== 'object' || typeof body.content !== 'string' || body.content.trim() === '') {
    return [400, { error: 'content is required' }];
  }
  if (body.username !== undefined && body.username !== null && typeof body.username !== 'string') {
    return [400, { error: 'username must be a string' }];
  }
  const username = typeof body.username === 'string' && body.username.trim() !== '' ? body.username : 'anonymous';
  await run('INSERT INTO messages (content, username) VALUES (?, ?)', [body.content, username]);
  return [200, { message: 'posted' }];
}

async function listMessages(query) {
  const limit = intParam(query.limit, 10, MAX_LIMIT);
  if (limit === null) return [400, 'limit must be an integer between 0 and 1000'];
  const offset = intParam(query.offset, 0, MAX_OFFSET);
  if (offset === null) return [400, 'offset must be a non-negative integer'];
  let order = 'DESC';
  if (query.sort !== undefined && query.sort !== '') {
    const s = typeof query.sort === 'string' ? query.sort.toUpperCase() : '';
    if (s !== 'ASC' && s !== 'DESC') return [400, 'sort must be ASC or DESC'];
    order = s;
  }
  // order is one of two constants; the values go in as parameters.
  const rows = await all(`SELECT username, content, created_at FROM messages ORDER BY id ${order} LIMIT ? OFFSET ?`, [
    limit,
    offset,
  ]);
  const items = rows
    .map((r) => `<li><strong>${escapeHTML(r.username)}</strong> <em>${escapeHTML(r.created_at)}</em><p>${escapeHTML(r.content)}</p></li>\n`)
    .join('');
  return [
    200,
    '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>MyForum</title></head>\n<body>\n<h1>Messages</h1>\n<ul>\n' +
      `${items}</ul>\n</body>\n</html>\n`,
  ];
}

const router = new Router();

router.get('/messages', async (ctx) => {
  const [status, page] = await listMessages(ctx.query);
  ctx.status = status;
  ctx.type = status === 200 ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8';
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Content-Security-Policy', "default-src 'none'");
  ctx.body = page;
});

router.post('/messages', async (ctx) => {
  [ctx.status, ctx.body] = await postMessage(ctx.request.body);
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
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' }));
app.use(router.routes());
app.use(router.allowedMethods());

run(`CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  content TEXT NOT NULL,
  username TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)`, [])
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
