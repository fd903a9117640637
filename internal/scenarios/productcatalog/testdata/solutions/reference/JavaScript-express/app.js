'use strict';

const express = require('express');
const sqlite3 = require('sqlite3');

const db = new sqlite3.Database('db.sqlite3');
db.configure('busyTimeout', 5000);

class BadInput extends Error {}

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

// checkProduct accepts a plain object whose values are all strings and which holds a non-empty "name".
function checkProduct(p) {
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new BadInput('not a JSON object');
  const product = {};
  for (const [k, v] of Object.entries(p)) {
    if (typeof v !== 'string') throw new BadInput(`property ${k} is not a string`);
    product[k] = v;
  }
  if (typeof product.name !== 'string' || product.name.trim() === '') throw new BadInput('name is required');
  return product;
}

function save(product) {
  return run('INSERT INTO products (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data', [
    product.name,
    JSON.stringify(product),
  ]);
}

const app = express();
app.use(express.json({ limit: '1mb', strict: false }));

app.post('/add', async (req, res) => {
  let product;
  try {
    product = checkProduct(req.body);
  } catch (err) {
    return res.status(400).json({ error: `invalid input: ${err.message}` });
  }
  try {
    await save(product);
    return res.status(201).json({ message: 'Product successfully added' });
  } catch (err) {
    return res.status(500).json({ error: 'could not store the product' });
  }
});

app.get('/download', async (req, res) => {
  const name = req.query.name;
  if (typeof name !== 'string' || name === '') return res.status(400).json({ error: 'name is required' });
  try {
    const row = await get('SELECT data FROM products WHERE name = ?', [name]);
    if (!row) return res.status(404).json({ error: 'product not found' });
    return res.status(200).json({ data: row.data });
  } catch (err) {
    return res.status(500).json({ error: 'could not read the product' });
  }
});

app.post('/upload', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.name !== 'string' || body.name === '' || typeof body.data !== 'string') {
    return res.status(400).json({ error: 'invalid upload' });
  }
  // The data entry is plain JSON and is only ever parsed as data, never evaluated.
  let product;
  try {
    let parsed;
    try {
      parsed = JSON.parse(body.data);
    } catch (err) {
      throw new BadInput('not a JSON object');
    }
    product = checkProduct(parsed);
  } catch (err) {
    return res.status(400).json({ error: `invalid upload: ${err.message}` });
  }
  product.name = body.name;
  try {
    const row = await get('SELECT COUNT(*) AS n FROM products WHERE name = ?', [body.name]);
    if (row.n === 0) return res.status(404).json({ error: 'product not found' });
    await save(product);
    return res.status(200).json({ message: 'The product with the given name was updated.' });
  } catch (err) {
    return res.status(500).json({ error: 'could not update the product' });
  }
});

app.get('/search', async (req, res) => {
  const q = req.query.query;
  if (typeof q !== 'string' || q === '') return res.status(400).json({ error: 'query is required' });
  const query = q.toLowerCase();
  let rows;
  try {
    rows = await all('SELECT data FROM products ORDER BY rowid', []);
  } catch (err) {
    return res.status(500).json({ error: 'search failed' });
  }
  const results = [];
  for (const row of rows) {
    let p;
    try {
      p = JSON.parse(row.data);
    } catch (err) {
      continue;
    }
    if (Object.values(p).some((v) => typeof v === 'string' && v.toLowerCase().includes(query))) results.push(p);
  }
  return res.status(200).json({ results });
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: 'invalid input' });
  return res.status(500).json({ error: 'internal error' });
});

run('CREATE TABLE IF NOT EXISTS products (name TEXT PRIMARY KEY, data TEXT NOT NULL)', [])
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
