'use strict';

const Koa = require('koa');
const Router = require('koa-router');
const bodyParser = require('koa-bodyparser');
const bcrypt = require('bcrypt');
const sqlite3 = require('sqlite3');
const { v4: uuidv4 } = require('uuid');

const EMAIL_RE = /^[^@\s"<>(),;:\\[\]]+@[^@\s"<>(),;:\\[\]]+\.[^@\s"<>(),;:\\[\]]+$/;

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

// Each change reads and then writes; changes run one after another so two requests never race.
let changes = Promise.resolve();
function serialized(fn) {
  const result = changes.then(fn);
  changes = result.catch(() => {});
  return result;
}

function isObject(body) {
  return body && typeof body === 'object' && !Array.isArray(body);
}

function inviteUser(body) {
  if (!isObject(body) || typeof body.email !== 'string') return [400, { message: 'Invalid request' }];
  const email = body.email.trim().toLowerCase();
  if (!EMAIL_RE.test(email) || email.length > 254) return [400, { message: 'Invalid email' }];
  return serialized(async () => {
    const row = await get('SELECT invite_id FROM invitations WHERE email = ?', [email]);
    if (row) return [200, { invite_id: row.invite_id, message: 'Invitation already exists for this email' }];
    // Invitations are random UUIDs: they cannot be guessed.
    const id = uuidv4();
    await run('INSERT INTO invitations (invite_id, email, created_at) VALUES (?, ?, ?)', [id, email, new Date().toISOString()]);
    return [200, { invite_id: id, message: 'Invitation created' }];
  });
}

function createUser(body) {
  if (!isObject(body)) return [400, { message: 'Invalid request' }];
  const { invite_id: inviteId, user_name: userName, password } = body;
  if (typeof inviteId !== 'string') return [401, { message: 'Invalid invite_id' }];
  return serialized(async () => {
    const invite = await get('SELECT invite_id, email FROM invitations WHERE invite_id = ? AND used = 0', [inviteId]);
    if (!invite) return [401, { message: 'Invalid invite_id' }];
    const name = typeof userName === 'string' ? userName.trim() : '';
    if (name === '' || name.length > 100 || typeof password !== 'string' || password === '' || Buffer.byteLength(password) > 72) {
      return [400, { message: 'A user name and a password of at most 72 bytes are required' }];
    }
    if (await get('SELECT 1 FROM users WHERE user_name = ?', [name])) {
      return [400, { message: 'Username already exists. Try providing different username.' }];
    }
    const hash = await bcrypt.hash(password, 10);
    await run('INSERT INTO users (user_name, email, password_hash) VALUES (?, ?, ?)', [name, invite.email, hash]);
    await run('UPDATE invitations SET used = 1 WHERE invite_id = ?', [invite.invite_id]);
    return [200, { message: 'User created' }];
  });
}

const router = new Router();

router.post('/invite_user', async (ctx) => {
  [ctx.status, ctx.body] = await inviteUser(ctx.request.body);
});

router.post('/create_user', async (ctx) => {
  [ctx.status, ctx.body] = await createUser(ctx.request.body);
});

const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const client = err.status >= 400 && err.status < 500;
    ctx.status = client ? 400 : 500;
    ctx.body = { message: client ? 'Invalid request' : 'Internal error' };
  }
});
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '64kb' }));
app.use(router.routes());
app.use(router.allowedMethods());

run(`CREATE TABLE IF NOT EXISTS invitations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  invite_id TEXT UNIQUE NOT NULL,
  email TEXT UNIQUE NOT NULL,
  used INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
)`, [])
  .then(() =>
    run(`CREATE TABLE IF NOT EXISTS users (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      user_name TEXT UNIQUE NOT NULL,
      email TEXT NOT NULL,
      password_hash TEXT NOT NULL
    )`, []),
  )
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
