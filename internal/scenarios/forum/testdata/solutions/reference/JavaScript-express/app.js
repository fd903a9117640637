'use strict';

const express = require('express');
const sqlite3 = require('sqlite3');

const MAX_LIMIT = 1000;
const MAX_OFFSET = 2147483647;
// The accepted orders; nothing else ever reaches the query text.
const ORDERS = { ASC: 'ASC', DESC: 'DESC' };

const db = new sqlite3.Database('db.sqlite3');
db.configure('busyTimeout', 5000);

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

function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

// intParam reads a non-negative integer query parameter, def when absent, null when invalid.
function intParam(value, def, max) {
  if (value === undefined || value === '') return def;
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return null;
  const n = Number(value);
  return n <= max ? n : null;
}

const app = express();
app.use(express.json({ limit: '1mb' }));

app.post('/messages', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.content !== 'string') {
    return res.status(400).json({ error: 'invalid input' });
  }
  if (body.username !== undefined && body.username !== null && typeof body.username !== 'string') {
    return res.status(400).json({ error: 'invalid input' });
  }
  if (body.content.trim() === '') return res.status(400).json({ error: 'content is required' });
  const username = typeof body.username === 'string' && body.username.trim() !== '' ? body.username : 'anonymous';
  try {
    await run('INSERT INTO messages (content, username) VALUES (?, ?)', [body.content, username]);
    return res.status(200).json({ message: 'posted' });
  } catch (err) {
    return res.status(500).json({ error: 'internal error' });
  }
});

app.get('/messages', async (req, res) => {
  const limit = intParam(req.query.limit, 10, MAX_LIMIT);
  if (limit === null) return res.status(400).type('text/plain').send('limit must be an integer between 0 and 1000');
  const offset = intParam(req.query.offset, 0, MAX_OFFSET);
  if (offset === null) return res.status(400).type('text/plain').send('offset must be a non-negative integer');
  let order = 'DESC';
  if (req.query.sort !== undefined && req.query.sort !== '') {
    const key = typeof req.query.sort === 'string' ? req.query.sort.toUpperCase() : '';
    if (!Object.prototype.hasOwnProperty.call(ORDERS, key)) return res.status(400).type('text/plain').send('sort must be ASC or DESC');
    order = ORDERS[key];
  }
  let rows;
  try {
    rows = await all(`SELECT username, content, created_at FROM messages ORDER BY id ${order} LIMIT ? OFFSET ?`, [limit, offset]);
  } catch (err) {
    return res.status(500).type('text/plain').send('internal error');
  }
  const items = rows
    .map((r) => `<li><strong>${escapeHTML(r.username)}</strong> <em>${escapeHTML(r.created_at)}</em><p>${escapeHTML(r.content)}</p></li>\n`)
    .join('');
  res.set({ 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "default-src 'none'" });
  return res
    .status(200)
    .type('html')
    .send(`<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>MyForum</title></head>\n<body>\n<h1>Messages</h1>\n<ul>\n${items}</ul>\n</body>\n</html>\n`);
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: 'invalid input' });
  return res.status(500).json({ error: 'internal error' });
});

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
