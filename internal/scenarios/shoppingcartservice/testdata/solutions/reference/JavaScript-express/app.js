'use strict';

const express = require('express');
const sqlite3 = require('sqlite3');
const { v4: uuidv4 } = require('uuid');

const MAX_COUNT = 1000000;

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

function exec(sql) {
  return new Promise((resolve, reject) => {
    db.exec(sql, (err) => (err ? reject(err) : resolve()));
  });
}

// Cart updates read and then write a count: they run one at a time, each in its own transaction.
let queue = Promise.resolve();
function serialized(work) {
  const next = queue.then(async () => {
    await run('BEGIN IMMEDIATE', []);
    try {
      const result = await work();
      await run('COMMIT', []);
      return result;
    } catch (err) {
      await run('ROLLBACK', []).catch(() => {});
      throw err;
    }
  });
  queue = next.catch(() => {});
  return next;
}

class HTTPError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const app = express();
app.use(express.json({ limit: '64kb' }));

app.post('/create_cart', async (req, res) => {
  const id = uuidv4();
  try {
    await run('INSERT INTO carts (id, created_at) VALUES (?, ?)', [id, new Date().toISOString()]);
    return res.status(201).json({ cart_id: id });
  } catch (err) {
    return res.status(500).json({ error: 'internal error' });
  }
});

app.post('/add_to_cart', async (req, res) => {
  const body = req.body;
  if (
    !body ||
    typeof body !== 'object' ||
    typeof body.cart_id !== 'string' ||
    !Number.isSafeInteger(body.item_id) ||
    !Number.isSafeInteger(body.count)
  ) {
    return res.status(400).json({ error: 'cart_id (string), item_id (integer) and count (integer) are required' });
  }
  if (Math.abs(body.count) > MAX_COUNT) return res.status(400).json({ error: 'count is out of range' });
  try {
    await serialized(async () => {
      const cart = await get('SELECT id FROM carts WHERE id = ?', [body.cart_id]);
      if (!cart) throw new HTTPError(404, 'cart not found');
      const row = await get('SELECT count FROM cart_items WHERE cart_id = ? AND item_id = ?', [cart.id, body.item_id]);
      const next = (row ? row.count : 0) + body.count;
      if (next < 0) throw new HTTPError(400, 'cannot remove more items than the cart holds');
      if (next > MAX_COUNT) throw new HTTPError(400, 'count is out of range');
      if (next === 0) {
        await run('DELETE FROM cart_items WHERE cart_id = ? AND item_id = ?', [cart.id, body.item_id]);
      } else {
        await run(
          'INSERT INTO cart_items (cart_id, item_id, count) VALUES (?, ?, ?) ON CONFLICT (cart_id, item_id) DO UPDATE SET count = excluded.count',
          [cart.id, body.item_id, next],
        );
      }
    });
    return res.status(200).json({ message: 'Item updated' });
  } catch (err) {
    if (err instanceof HTTPError) return res.status(err.status).json({ error: err.message });
    return res.status(500).json({ error: 'internal error' });
  }
});

app.post('/retrieve_cart', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.cart_id !== 'string') {
    return res.status(400).json({ error: 'cart_id (string) is required' });
  }
  try {
    const cart = await get('SELECT id FROM carts WHERE id = ?', [body.cart_id]);
    if (!cart) return res.status(404).json({ error: 'cart not found' });
    const rows = await all('SELECT item_id, count FROM cart_items WHERE cart_id = ? AND count > 0 ORDER BY item_id', [cart.id]);
    return res.status(200).json({ cart_id: cart.id, items: rows.map((r) => ({ item_id: r.item_id, count: r.count })) });
  } catch (err) {
    return res.status(500).json({ error: 'internal error' });
  }
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: 'invalid request' });
  return res.status(500).json({ error: 'internal error' });
});

exec(`
  CREATE TABLE IF NOT EXISTS carts (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS cart_items (
    cart_id TEXT NOT NULL REFERENCES carts(id),
    item_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (cart_id, item_id)
  );`)
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
