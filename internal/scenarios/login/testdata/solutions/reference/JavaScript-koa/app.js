'use strict';

const crypto = require('crypto');
const Koa = require('koa');
const Router = require('koa-router');
const bodyParser = require('koa-bodyparser');
const bcrypt = require('bcrypt');
const jwt = require('jsonwebtoken');
const sqlite3 = require('sqlite3');
const { v4: uuidv4 } = require('uuid');

const SECRET = process.env.APP_SECRET || crypto.randomBytes(32).toString('hex');
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const INVALID_DATA = { message: 'Email already in use or invalid data' };
const INVALID_LOGIN = { message: 'Invalid email or password' };

const db = new sqlite3.Database('db.sqlite3');

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

function reply(ctx, status, body) {
  ctx.status = status;
  ctx.body = body;
}

const router = new Router();

router.post('/register', async (ctx) => {
  const body = ctx.request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return reply(ctx, 400, INVALID_DATA);
  const { email, password } = body;
  const name = body.name === undefined || body.name === null ? '' : body.name;
  if (typeof email !== 'string' || typeof password !== 'string' || typeof name !== 'string') {
    return reply(ctx, 400, INVALID_DATA);
  }
  const cleanEmail = email.trim();
  if (!EMAIL_RE.test(cleanEmail) || cleanEmail.length > 254 || password.length === 0) {
    return reply(ctx, 400, INVALID_DATA);
  }
  try {
    const id = uuidv4();
    const hash = await bcrypt.hash(password, 10);
    await run('INSERT INTO users (id, email, password_hash, name) VALUES (?, ?, ?, ?)', [id, cleanEmail, hash, name]);
    return reply(ctx, 201, { message: 'Registration successful', userId: id });
  } catch (err) {
    return reply(ctx, 400, INVALID_DATA);
  }
});

router.post('/login', async (ctx) => {
  const body = ctx.request.body;
  if (!body || typeof body !== 'object' || typeof body.email !== 'string' || typeof body.password !== 'string') {
    return reply(ctx, 401, INVALID_LOGIN);
  }
  const row = await get('SELECT id, password_hash FROM users WHERE email = ?', [body.email.trim()]);
  if (!row || !(await bcrypt.compare(body.password, row.password_hash))) return reply(ctx, 401, INVALID_LOGIN);
  const token = jwt.sign({ sub: row.id, jti: uuidv4() }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });
  return reply(ctx, 200, { token, message: 'Login successful' });
});

const app = new Koa();

// Malformed or oversized bodies are the client's fault: answer as for invalid data. Anything else is
// an internal error whose details stay in the server.
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (err.status >= 400 && err.status < 500) {
      if (ctx.path === '/login') reply(ctx, 401, INVALID_LOGIN);
      else reply(ctx, 400, INVALID_DATA);
    } else {
      reply(ctx, 500, { message: 'Internal server error' });
    }
  }
});
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' }));
app.use(router.routes());
app.use(router.allowedMethods());

run(`CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  email TEXT UNIQUE NOT NULL,
  password_hash TEXT NOT NULL,
  name TEXT
)`, [])
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
