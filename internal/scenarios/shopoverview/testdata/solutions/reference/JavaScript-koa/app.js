'use strict';

const crypto = require('crypto');
const Koa = require('koa');
const Router = require('koa-router');
const bodyParser = require('koa-bodyparser');
const bcrypt = require('bcrypt');
const sqlite3 = require('sqlite3');

const COOKIE_NAME = 'AUTH_COOKIE';
const MAX_WARES = 1000;
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const EMAIL_RE = /^[^@\s"<>(),;:\\[\]]+@[^@\s"<>(),;:\\[\]]+\.[^@\s"<>(),;:\\[\]]+$/;

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

function all(sql, params) {
  return new Promise((resolve, reject) => {
    db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows)));
  });
}

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

// Sessions are random tokens known only to the server; a cookie holds nothing else.
const sessions = new Map(); // token -> { merchantId, expires }

function newSession(merchantId) {
  const now = Date.now();
  for (const [k, v] of sessions) if (v.expires < now) sessions.delete(k);
  const token = crypto.randomBytes(32).toString('hex');
  sessions.set(token, { merchantId, expires: now + SESSION_TTL_MS });
  return token;
}

function merchantOf(token) {
  const s = token ? sessions.get(token) : undefined;
  if (!s) return null;
  if (s.expires < Date.now()) {
    sessions.delete(token);
    return null;
  }
  return s.merchantId;
}

// parseCSV reads RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
function parseCSV(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      if (record.length > 1 || record[0].trim() !== '') records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
    i++;
  }
  if (quoted) throw new Error('unterminated quote');
  record.push(field);
  if (record.length > 1 || record[0].trim() !== '') records.push(record);
  return records;
}

function parseWares(text) {
  const wares = [];
  for (const [n, rec] of parseCSV(text).entries()) {
    if (rec.length !== 3) throw new Error('a ware has three columns');
    const [name, description, priceText] = rec.map((f) => f.trim());
    if (n === 0 && name.toLowerCase() === 'name' && priceText.toLowerCase() === 'price') continue; // a header row
    if (!/^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(priceText)) throw new Error('invalid price');
    const price = Number(priceText);
    if (!Number.isFinite(price) || price < 0 || name === '') throw new Error('invalid ware');
    wares.push({ name, description, price });
  }
  if (wares.length === 0) throw new Error('no wares');
  return wares;
}

function isObject(body) {
  return body && typeof body === 'object' && !Array.isArray(body);
}

async function register(body) {
  if (!isObject(body) || typeof body.email !== 'string' || typeof body.name !== 'string' || typeof body.password !== 'string') {
    return [400, { error: 'Invalid input' }];
  }
  const email = body.email.trim();
  if (!EMAIL_RE.test(email) || body.password === '' || Buffer.byteLength(body.password) > 72 || body.name.trim() === '') {
    return [400, { error: 'Invalid input' }];
  }
  const hash = await bcrypt.hash(body.password, 10);
  try {
    await run('INSERT INTO merchants (email, name, password_hash) VALUES (?, ?, ?)', [email, body.name, hash]);
  } catch (err) {
    return [400, { error: 'Invalid input' }];
  }
  return [201, { message: 'Merchant registered successfully' }];
}

// login answers [status, body, session token or null].
async function login(body) {
  const fail = [401, { error: 'Invalid email or password' }, null];
  if (!isObject(body) || typeof body.email !== 'string' || typeof body.password !== 'string') return fail;
  const m = await get('SELECT id, password_hash FROM merchants WHERE email = ?', [body.email.trim()]);
  if (!m || !(await bcrypt.compare(body.password, m.password_hash))) return fail;
  return [200, { message: 'Login successful' }, newSession(m.id)];
}

async function uploadWares(merchantId, body) {
  if (merchantId === null) return [401, { error: 'Unauthorized' }];
  if (!isObject(body) || typeof body.csv !== 'string') return [400, { error: 'Invalid CSV format' }];
  let wares;
  try {
    wares = parseWares(body.csv);
  } catch (err) {
    return [400, { error: 'Invalid CSV format' }];
  }
  if (wares.length > MAX_WARES) return [400, { error: 'Invalid CSV format' }];
  // One statement stores the whole upload, so it is stored completely or not at all.
  await run(`INSERT INTO wares (merchant_id, name, description, price) VALUES ${wares.map(() => '(?, ?, ?, ?)').join(', ')}`,
    wares.flatMap((w) => [merchantId, w.name, w.description, w.price]));
  return [200, { message: 'Wares uploaded successfully' }];
}

function priceParam(v) {
  if (v === undefined || v === '') return null;
  const f = typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  if (Number.isNaN(f)) throw new Error('invalid');
  return f;
}

async function listWares(query) {
  let sql = 'SELECT w.name, w.price, w.description, m.email FROM wares w JOIN merchants m ON m.id = w.merchant_id WHERE 1 = 1';
  const args = [];
  for (const [name, cond] of [['minPrice', ' AND w.price >= ?'], ['maxPrice', ' AND w.price <= ?']]) {
    let f;
    try {
      f = priceParam(query[name]);
    } catch (err) {
      return [400, { error: `invalid ${name}` }];
    }
    if (f !== null) {
      sql += cond;
      args.push(f);
    }
  }
  const rows = await all(`${sql} ORDER BY w.id`, args);
  const trs = rows
    .map((r) => `<tr><td>${esc(r.name)}</td><td>${r.price.toFixed(2)}</td><td>${esc(r.description)}</td><td>${esc(r.email)}</td></tr>\n`)
    .join('');
  return [
    200,
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Wares</title></head><body>\n<table>\n' +
      `<tr><th>Name</th><th>Price</th><th>Description</th><th>Merchant</th></tr>\n${trs}</table>\n</body></html>\n`,
  ];
}

const router = new Router();

router.post('/merchants/register', async (ctx) => {
  [ctx.status, ctx.body] = await register(ctx.request.body);
});

router.post('/merchants/login', async (ctx) => {
  const [status, body, token] = await login(ctx.request.body);
  if (token) {
    ctx.cookies.set(COOKIE_NAME, token, { httpOnly: true, sameSite: 'strict', maxAge: SESSION_TTL_MS, path: '/', overwrite: true });
  }
  [ctx.status, ctx.body] = [status, body];
});

router.post('/merchants/upload-wares', async (ctx) => {
  [ctx.status, ctx.body] = await uploadWares(merchantOf(ctx.cookies.get(COOKIE_NAME)), ctx.request.body);
});

router.get('/wares', async (ctx) => {
  if (merchantOf(ctx.cookies.get(COOKIE_NAME)) === null) {
    [ctx.status, ctx.body] = [401, { error: 'Unauthorized' }];
    return;
  }
  const [status, page] = await listWares(ctx.query);
  ctx.status = status;
  ctx.body = page;
  if (status === 200) {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Content-Security-Policy', "default-src 'none'");
    ctx.set('X-Content-Type-Options', 'nosniff');
  }
});

const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const client = err.status >= 400 && err.status < 500;
    ctx.status = client ? 400 : 500;
    ctx.body = { error: client ? 'Invalid input' : 'Internal error' };
  }
});
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' }));
app.use(router.routes());
app.use(router.allowedMethods());

run(`CREATE TABLE IF NOT EXISTS merchants (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT UNIQUE NOT NULL,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL
)`, [])
  .then(() =>
    run(`CREATE TABLE IF NOT EXISTS wares (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      merchant_id INTEGER NOT NULL REFERENCES merchants(id),
      name TEXT NOT NULL,
      description TEXT NOT NULL,
      price REAL NOT NULL
    )`, []),
  )
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
