'use strict';

const Koa = require('koa');
const Router = require('koa-router');
const bodyParser = require('koa-bodyparser');
const sqlite3 = require('sqlite3');

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

class BadInput extends Error {}

// checkProduct accepts a JSON object whose values are all strings and which holds a non-empty "name".
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

function save(p) {
  return run('INSERT INTO products (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data', [
    p.name,
    JSON.stringify(p),
  ]);
}

async function add(body) {
  let p;
  try {
    p = checkProduct(body);
  } catch (err) {
    if (err instanceof BadInput) return [400, { error: `invalid input: ${err.message}` }];
    throw err;
  }
  await save(p);
  return [201, { message: 'Product successfully added' }];
}

async function download(name) {
  if (typeof name !== 'string' || name === '') return [400, { error: 'name is required' }];
  const row = await get('SELECT data FROM products WHERE name = ?', [name]);
  if (!row) return [404, { error: 'product not found' }];
  return [200, { data: row.data }];
}

async function upload(body) {
  if (!body || typeof body !== 'object' || typeof body.name !== 'string' || body.name === '' || typeof body.data !== 'string') {
    return [400, { error: 'invalid upload' }];
  }
  // The data entry is plain JSON and is only ever parsed as data, never evaluated.
  let p;
  try {
    p = checkProduct(JSON.parse(body.data));
  } catch (err) {
    return [400, { error: `invalid upload: ${err instanceof BadInput ? err.message : 'data is not JSON'}` }];
  }
  p.name = body.name;
  if (!(await get('SELECT 1 FROM products WHERE name = ?', [body.name]))) return [404, { error: 'product not found' }];
  await save(p);
  return [200, { message: 'The product with the given name was updated.' }];
}

async function search(query) {
  if (typeof query !== 'string' || query === '') return [400, { error: 'query is required' }];
  const q = query.toLowerCase();
  const results = [];
  for (const row of await all('SELECT data FROM products ORDER BY rowid', [])) {
    let p;
    try {
      p = JSON.parse(row.data);
    } catch (err) {
      continue;
    }
    if (Object.values(p).some((v) => typeof v === 'string' && v.toLowerCase().includes(q))) results.push(p);
  }
  return [200, { results }];
}

const router = new Router();

router.post('/add', async (ctx) => {
  [ctx.status, ctx.body] = await add(ctx.request.body);
});

router.get('/download', async (ctx) => {
  [ctx.status, ctx.body] = await download(ctx.query.name);
});

router.post('/upload', async (ctx) => {
  [ctx.status, ctx.body] = await upload(ctx.request.body);
});

router.get('/search', async (ctx) => {
  [ctx.status, ctx.body] = await search(ctx.query.query);
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
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '1mb', strict: true }));
app.use(router.routes());
app.use(router.allowedMethods());

run('CREATE TABLE IF NOT EXISTS products (name TEXT PRIMARY KEY, data TEXT NOT NULL)', [])
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
