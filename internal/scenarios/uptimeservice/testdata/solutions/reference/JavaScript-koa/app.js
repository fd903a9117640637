'use strict';

const crypto = require('crypto');
const Koa = require('koa');
const Router = require('koa-router');
const bodyParser = require('koa-bodyparser');
const sqlite3 = require('sqlite3');

const MAX_FIELD = 1024;
const KEY = process.env.APP_SECRET || crypto.randomBytes(32).toString('hex');

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

// tokenKey is what the database keeps instead of a token: a keyed hash, so tokens cannot be read back
// from the database but can still be looked up.
function tokenKey(token) {
  return crypto.createHmac('sha256', KEY).update(token).digest('hex');
}

function validField(v) {
  return typeof v === 'string' && v !== '' && v.length <= MAX_FIELD;
}

async function heartbeat(body) {
  if (!body || typeof body !== 'object' || !validField(body.serviceId) || !validField(body.token)) {
    return [400, { error: 'Invalid request payload' }];
  }
  await run(
    `INSERT INTO services (service_id, token_hash, last_notification) VALUES (?, ?, ?)
     ON CONFLICT (service_id, token_hash) DO UPDATE SET last_notification = excluded.last_notification`,
    [body.serviceId, tokenKey(body.token), new Date().toISOString()],
  );
  return [200, { message: 'Heartbeat registered successfully' }];
}

async function services(body) {
  if (!body || typeof body !== 'object' || typeof body.token !== 'string') return [400, { error: 'Invalid request payload' }];
  const rows = await all('SELECT service_id, last_notification FROM services WHERE token_hash = ? ORDER BY service_id', [
    tokenKey(body.token),
  ]);
  return [200, rows.map((r) => ({ serviceId: r.service_id, lastNotification: r.last_notification }))];
}

const router = new Router();

router.post('/heartbeat', async (ctx) => {
  [ctx.status, ctx.body] = await heartbeat(ctx.request.body);
});

router.post('/services', async (ctx) => {
  [ctx.status, ctx.body] = await services(ctx.request.body);
});

const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const client = err.status >= 400 && err.status < 500;
    ctx.status = client ? 400 : 500;
    ctx.body = { error: client ? 'Invalid request payload' : 'Internal server error' };
  }
});
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '64kb' }));
app.use(router.routes());
app.use(router.allowedMethods());

run(`CREATE TABLE IF NOT EXISTS services (
  service_id TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  last_notification TEXT NOT NULL,
  PRIMARY KEY (service_id, token_hash)
)`, [])
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
