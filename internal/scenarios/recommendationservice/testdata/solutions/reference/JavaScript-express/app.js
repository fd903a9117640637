'use strict';

const express = require('express');
const sqlite3 = require('sqlite3');

const MAX_NAME = 200;
const MAX_TAG = 100;
const MAX_TAGS = 50;
const MAX_RESULTS = 1000;

const db = new sqlite3.Database('db.sqlite3');
db.configure('busyTimeout', 5000);

function run(sql, params) {
  return new Promise((resolve, reject) => {
    db.run(sql, params, function done(err) {
      if (err) reject(err);
      else resolve(this);
    });
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

// Writes run one transaction at a time on the shared connection.
let writes = Promise.resolve();
function transaction(work) {
  const next = writes.then(async () => {
    await run('BEGIN', []);
    try {
      await work();
      await run('COMMIT', []);
    } catch (err) {
      await run('ROLLBACK', []).catch(() => {});
      throw err;
    }
  });
  writes = next.catch(() => {});
  return next;
}

function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function page(names) {
  const items = names.map((n) => `<li>${escapeHTML(n)}</li>\n`).join('');
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Recommendations</title></head>
<body>
<h1>Recommended products</h1>
<ul>
${items}</ul>
</body></html>
`;
}

const app = express();
app.use(express.json({ limit: '64kb' }));

app.post('/recommender', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.product_name !== 'string' || !Array.isArray(body.tags)) {
    return res.status(400).json({ error: 'invalid input' });
  }
  const name = body.product_name.trim();
  if (name === '' || name.length > MAX_NAME || body.tags.length === 0 || body.tags.length > MAX_TAGS) {
    return res.status(400).json({ error: 'invalid input' });
  }
  const tags = [];
  for (const t of body.tags) {
    if (typeof t !== 'string' || t.trim() === '' || t.trim().length > MAX_TAG) return res.status(400).json({ error: 'invalid input' });
    tags.push(t.trim());
  }
  try {
    await transaction(async () => {
      const { lastID } = await run('INSERT INTO products (name) VALUES (?)', [name]);
      for (const t of tags) await run('INSERT OR IGNORE INTO product_tags (product_id, tag) VALUES (?, ?)', [lastID, t]);
    });
    return res.status(200).json({ message: 'Product posted' });
  } catch (err) {
    return res.status(500).json({ error: 'internal error' });
  }
});

app.get('/recommender', async (req, res) => {
  const raw = typeof req.query.tags === 'string' ? req.query.tags : '';
  const tags = raw
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .slice(0, MAX_TAGS);
  let names = [];
  if (tags.length > 0) {
    const marks = tags.map(() => '?').join(', ');
    try {
      const rows = await all(
        `SELECT DISTINCT p.id, p.name FROM products p JOIN product_tags t ON t.product_id = p.id WHERE t.tag IN (${marks}) ORDER BY p.id LIMIT ?`,
        [...tags, MAX_RESULTS],
      );
      names = rows.map((r) => r.name);
    } catch (err) {
      return res.status(500).type('text/plain').send('internal error');
    }
  }
  res.set({
    'Content-Security-Policy': "default-src 'self'; script-src 'none'",
    'X-Content-Type-Options': 'nosniff',
  });
  return res.status(200).type('html').send(page(names));
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: 'invalid input' });
  return res.status(500).json({ error: 'internal error' });
});

exec(`
  CREATE TABLE IF NOT EXISTS products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS product_tags (
    product_id INTEGER NOT NULL REFERENCES products(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (product_id, tag)
  );
  CREATE INDEX IF NOT EXISTS product_tags_tag ON product_tags (tag);`)
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
