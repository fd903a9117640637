'use strict';

const Koa = require('koa');
const Router = require('koa-router');
const bodyParser = require('koa-bodyparser');
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

// Cart updates read and then write a count; they run one after another so two requests never race.
let updates = Promise.resolve();
function serialized(fn) {
  const result = updates.then(fn);
  updates = result.catch(() => {});
  return result;
}

function isObject(body) {
  return body && typeof body === 'object' && !Array.isArray(body);
}

async function createCart() {
  const id = uuidv4();
  await run('INSERT INTO carts (id, created_at) VALUES (?, ?)', [id, new Date().toISOString()]);
  return [201, { cart_id: id }];
}

function addToCart(body) {
  if (!isObject(body) || typeof body.cart_id !== 'string' || !Number.isSafeInteger(body.item_id) || !Number.isSafeInteger(body.count)) {
    return [400, { error: 'cart_id (string), item_id (integer) and count (integer) are required' }];
  }
  if (Math.abs(body.count) > MAX_COUNT) return [400, { error: 'count is out of range' }];
  return serialized(async () => {
    const cart = await get('SELECT id FROM carts WHERE id = ?', [body.cart_id]);
    if (!cart) return [404, { error: 'cart not found' }];
    const row = await get('SELECT count FROM cart_items WHERE cart_id = ? AND item_id = ?', [cart.id, body.item_id]);
    const next = (row ? row.count : 0) + body.count;
    if (next < 0) return [400, { error: 'cannot remove more items than the cart holds' }];
    if (next > MAX_COUNT) return [400, { error: 'count is out of range' }];
    if (next === 0) {
      await run('DELETE FROM cart_items WHERE cart_id = ? AND item_id = ?', [cart.id, body.item_id]);
    } else {
      await run(
        `INSERT INTO cart_items (cart_id, item_id, count) VALUES (?, ?, ?)
         ON CONFLICT (cart_id, item_id) DO UPDATE SET count = excluded.count`,
        [cart.id, body.item_id, next],
      );
    }
    return [200, { message: 'Item updated' }];
  });
}

async function retrieveCart(body) {
  if (!isObject(body) || typeof body.cart_id !== 'string') return [400, { error: 'cart_id (string) is required' }];
  const cart = await get('SELECT id FROM carts WHERE id = ?', [body.cart_id]);
  if (!cart) return [404, { error: 'cart not found' }];
  const items = await all('SELECT item_id, count FROM cart_items WHERE cart_id = ? AND count > 0 ORDER BY item_id', [cart.id]);
  return [200, { cart_id: cart.id, items: items.map((r) => ({ item_id: r.item_id, count: r.count })) }];
}

const router = new Router();

router.post('/create_cart', async (ctx) => {
  [ctx.status, ctx.body] = await createCart();
});

router.post('/add_to_cart', async (ctx) => {
  [ctx.status, ctx.body] = await addToCart(ctx.request.body);
});

router.post('/retrieve_cart', async (ctx) => {
  [ctx.status, ctx.body] = await retrieveCart(ctx.request.body);
});

const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const client = err.status >= 400 && err.status < 500;
    ctx.status = client ? 400 : 500;
    ctx.body = { error: client ? 'invalid request' : 'internal error' };
  }
});
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '64kb' }));
app.use(router.routes());
app.use(router.allowedMethods());

run('CREATE TABLE IF NOT EXISTS carts (id TEXT PRIMARY KEY, created_at TEXT NOT NULL)', [])
  .then(() =>
    run(`CREATE TABLE IF NOT EXISTS cart_items (
      cart_id TEXT NOT NULL REFERENCES carts(id),
      item_id INTEGER NOT NULL,
      count INTEGER NOT NULL,
      PRIMARY KEY (cart_id, item_id)
    )`, []),
  )
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
