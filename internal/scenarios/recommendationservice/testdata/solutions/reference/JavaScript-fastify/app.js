'use strict';

const fastify = require('fastify');
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
      return err ? reject(err) : resolve(this);
    });
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

function validText(v, max) {
  return typeof v === 'string' && v.trim() !== '' && v.trim().length <= max;
}

// Writes run one after another so a product and its tags are stored together.
let writes = Promise.resolve();
function serialized(fn) {
  const result = writes.then(fn);
  writes = result.catch(() => {});
  return result;
}

function postProduct(body) {
  if (!body || typeof body !== 'object' || !validText(body.product_name, MAX_NAME)) return [400, { error: 'invalid input' }];
  const tags = body.tags;
  if (!Array.isArray(tags) || tags.length === 0 || tags.length > MAX_TAGS || !tags.every((t) => validText(t, MAX_TAG))) {
    return [400, { error: 'invalid input' }];
  }
  return serialized(async () => {
    const { lastID } = await run('INSERT INTO products (name) VALUES (?)', [body.product_name.trim()]);
    for (const t of tags) {
      await run('INSERT OR IGNORE INTO product_tags (product_id, tag) VALUES (?, ?)', [lastID, t.trim()]);
    }
    return [200, { message: 'Product posted' }];
  });
}

async function recommend(tagsParam) {
  const tags = [];
  for (const t of String(typeof tagsParam === 'string' ? tagsParam : '').split(',')) {
    if (t.trim() !== '' && tags.length < MAX_TAGS) tags.push(t.trim());
  }
  let names = [];
  if (tags.length > 0) {
    const rows = await all(
      `SELECT DISTINCT p.id, p.name FROM products p JOIN product_tags t ON t.product_id = p.id
       WHERE t.tag IN (${tags.map(() => '?').join(', ')}) ORDER BY p.id LIMIT ?`,
      [...tags, MAX_RESULTS],
    );
    names = rows.map((r) => r.name);
  }
  // Product names are text from users: every one is HTML-escaped.
  const items = names.map((n) => `<li>${escapeHTML(n)}</li>\n`).join('');
  return (
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Recommendations</title></head>\n<body>\n' +
    `<h1>Recommended products</h1>\n<ul>\n${items}</ul>\n</body></html>\n`
  );
}

const app = fastify({ bodyLimit: 64 * 1024 });
app.setErrorHandler((err, request, reply) => {
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send({ error: 'invalid input' });
  request.log.error(err);
  return reply.code(500).send({ error: 'internal error' });
});


app.get('/recommender', async (request, reply) => {
  const page = await recommend(request.query.tags);
  return reply
    .code(200)
    .type('text/html; charset=utf-8')
    .header('Content-Security-Policy', "default-src 'self'; script-src 'none'")
    .header('X-Content-Type-Options', 'nosniff')
    .send(page);
});
app.post('/recommender', async (request, reply) => {
  const [status, answer] = await postProduct(request.body);
  return reply.code(status).send(answer);
});

run('CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)', [])
  .then(() =>
    run(`CREATE TABLE IF NOT EXISTS product_tags (
      product_id INTEGER NOT NULL REFERENCES products(id),
      tag TEXT NOT NULL,
      PRIMARY KEY (product_id, tag)
    )`, []),
  )
  .then(() => run('CREATE INDEX IF NOT EXISTS product_tags_tag ON product_tags (tag)', []))
  .then(() => app.listen({ port: 5000, host: '0.0.0.0' }))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
