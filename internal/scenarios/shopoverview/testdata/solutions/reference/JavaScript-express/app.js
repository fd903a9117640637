'use strict';

const crypto = require('crypto');
const { Readable } = require('stream');
const express = require('express');
const cookieParser = require('cookie-parser');
const bcrypt = require('bcrypt');
const csv = require('csv-parser');
const sqlite3 = require('sqlite3');

const COOKIE_NAME = 'AUTH_COOKIE';
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const EMAIL_RE = /^[^@\s<>()[\],;:"]+@[^@\s<>()[\],;:"]+\.[^@\s<>()[\],;:"]+$/;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const db = new sqlite3.Database('db.sqlite3');
db.configure('busyTimeout', 5000);

// Sessions live in memory: token -> { merchantId, expires }. Tokens are random, one per login.
const sessions = new Map();

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

function exec(sql) {
  return new Promise((resolve, reject) => {
    db.exec(sql, (err) => (err ? reject(err) : resolve()));
  });
}

function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

// merchant returns the logged-in merchant's id, or null.
function merchant(req) {
  const token = req.cookies && req.cookies[COOKIE_NAME];
  if (typeof token !== 'string' || token === '') return null;
  const s = sessions.get(token);
  if (!s) return null;
  if (Date.now() > s.expires) {
    sessions.delete(token);
    return null;
  }
  return s.merchantId;
}

function readRows(text) {
  return new Promise((resolve, reject) => {
    const rows = [];
    Readable.from([text])
      .pipe(csv({ headers: false, strict: true }))
      .on('data', (row) => rows.push([row[0], row[1], row[2]]))
      .on('end', () => resolve(rows))
      .on('error', reject);
  });
}

async function parseWares(text) {
  const rows = await readRows(text);
  const wares = [];
  rows.forEach((rec, i) => {
    const [name, description, priceText] = rec.map((v) => (typeof v === 'string' ? v.trim() : v));
    if (typeof priceText !== 'string' || !NUMBER_RE.test(priceText)) {
      if (i === 0 && String(name).toLowerCase() === 'name' && String(priceText).toLowerCase() === 'price') return; // a header row
      throw new Error(`invalid price ${priceText}`);
    }
    const price = Number(priceText);
    if (!Number.isFinite(price) || price < 0 || !name) throw new Error(`invalid ware ${name}`);
    wares.push({ name, description: description || '', price });
  });
  if (wares.length === 0) throw new Error('no wares');
  return wares;
}

function priceParam(value, name) {
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string' || !NUMBER_RE.test(value.trim())) throw new Error(`invalid ${name}`);
  return Number(value);
}

const app = express();
app.use(express.json({ limit: '1mb' }));
app.use(cookieParser());

app.post('/merchants/register', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.email !== 'string' || typeof body.name !== 'string' || typeof body.password !== 'string') {
    return res.status(400).json({ error: 'Invalid input' });
  }
  const email = body.email.trim();
  if (!EMAIL_RE.test(email) || body.password === '' || Buffer.byteLength(body.password) > 72 || body.name.trim() === '') {
    return res.status(400).json({ error: 'Invalid input' });
  }
  try {
    const hash = await bcrypt.hash(body.password, 10);
    await run('INSERT INTO merchants (email, name, password_hash) VALUES (?, ?, ?)', [email, body.name, hash]);
    return res.status(201).json({ message: 'Merchant registered successfully' });
  } catch (err) {
    return res.status(400).json({ error: 'Invalid input' });
  }
});

app.post('/merchants/login', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.email !== 'string' || typeof body.password !== 'string') {
    return res.status(401).json({ error: 'Invalid email or password' });
  }
  try {
    const row = await get('SELECT id, password_hash FROM merchants WHERE email = ?', [body.email.trim()]);
    if (!row || !(await bcrypt.compare(body.password, row.password_hash))) {
      return res.status(401).json({ error: 'Invalid email or password' });
    }
    const now = Date.now();
    for (const [k, v] of sessions) if (now > v.expires) sessions.delete(k);
    const token = crypto.randomBytes(32).toString('hex');
    sessions.set(token, { merchantId: row.id, expires: now + SESSION_TTL_MS });
    res.cookie(COOKIE_NAME, token, { path: '/', maxAge: SESSION_TTL_MS, httpOnly: true, sameSite: 'strict' });
    return res.status(200).json({ message: 'Login successful' });
  } catch (err) {
    return res.status(500).json({ error: 'Internal error' });
  }
});

app.post('/merchants/upload-wares', async (req, res) => {
  const id = merchant(req);
  if (id === null) return res.status(401).json({ error: 'Unauthorized' });
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.csv !== 'string') return res.status(400).json({ error: 'Invalid CSV format' });
  let wares;
  try {
    wares = await parseWares(body.csv);
  } catch (err) {
    return res.status(400).json({ error: 'Invalid CSV format' });
  }
  try {
    await run('BEGIN IMMEDIATE', []);
    try {
      for (const w of wares) {
        await run('INSERT INTO wares (merchant_id, name, description, price) VALUES (?, ?, ?, ?)', [id, w.name, w.description, w.price]);
      }
      await run('COMMIT', []);
    } catch (err) {
      await run('ROLLBACK', []).catch(() => {});
      throw err;
    }
    return res.status(200).json({ message: 'Wares uploaded successfully' });
  } catch (err) {
    return res.status(500).json({ error: 'Internal error' });
  }
});

app.get('/wares', async (req, res) => {
  if (merchant(req) === null) return res.status(401).json({ error: 'Unauthorized' });
  let sql = 'SELECT w.name, w.price, w.description, m.email FROM wares w JOIN merchants m ON m.id = w.merchant_id WHERE 1 = 1';
  const params = [];
  try {
    const min = priceParam(req.query.minPrice, 'minPrice');
    const max = priceParam(req.query.maxPrice, 'maxPrice');
    if (min !== null) {
      sql += ' AND w.price >= ?';
      params.push(min);
    }
    if (max !== null) {
      sql += ' AND w.price <= ?';
      params.push(max);
    }
  } catch (err) {
    return res.status(400).json({ error: err.message });
  }
  let rows;
  try {
    rows = await all(sql + ' ORDER BY w.id', params);
  } catch (err) {
    return res.status(500).json({ error: 'Internal error' });
  }
  const lines = rows.map(
    (r) =>
      `<tr><td>${escapeHTML(r.name)}</td><td>${Number(r.price).toFixed(2)}</td><td>${escapeHTML(r.description)}</td><td>${escapeHTML(r.email)}</td></tr>\n`,
  );
  res.set({ 'Content-Security-Policy': "default-src 'none'", 'X-Content-Type-Options': 'nosniff' });
  return res
    .status(200)
    .type('html')
    .send(
      '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Wares</title></head><body>\n<table>\n' +
        '<tr><th>Name</th><th>Price</th><th>Description</th><th>Merchant</th></tr>\n' +
        lines.join('') +
        '</table>\n</body></html>\n',
    );
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: 'Invalid input' });
  return res.status(500).json({ error: 'Internal error' });
});

exec(`
  PRAGMA foreign_keys = ON;
  CREATE TABLE IF NOT EXISTS merchants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS wares (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id INTEGER NOT NULL REFERENCES merchants(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    price REAL NOT NULL
  );`)
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
