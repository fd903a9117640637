'use strict';

const crypto = require('crypto');
const fastify = require('fastify');
const bcrypt = require('bcrypt');
const jwt = require('jsonwebtoken');
const sqlite3 = require('sqlite3');
const { v4: uuidv4 } = require('uuid');

const APP_SECRET = process.env.APP_SECRET || crypto.randomBytes(32).toString('hex');
// Separate keys for signing tokens and for encrypting secrets, both derived from APP_SECRET.
const SIGN_KEY = crypto.createHash('sha256').update(`jwt-signing:${APP_SECRET}`).digest();
const ENC_KEY = crypto.createHash('sha256').update(`secret-encryption:${APP_SECRET}`).digest();
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const INVALID_DATA = { message: 'Email already in use or invalid data' };
const INVALID_LOGIN = { message: 'Invalid email or password' };
const INVALID_TOKEN = { message: 'Invalid authentication token' };

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

// Stored secrets are encrypted with AES-256-GCM, bound to their owner.
function seal(username, plain) {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', ENC_KEY, iv);
  cipher.setAAD(Buffer.from(username, 'utf8'));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
}

function open(username, sealed) {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = crypto.createDecipheriv('aes-256-gcm', ENC_KEY, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(username, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

function isObject(body) {
  return body && typeof body === 'object' && !Array.isArray(body);
}

async function register(body) {
  if (!isObject(body) || typeof body.email !== 'string' || typeof body.username !== 'string' || typeof body.password !== 'string') {
    return [400, INVALID_DATA];
  }
  const email = body.email.trim();
  const username = body.username.trim();
  if (!EMAIL_RE.test(email) || username === '' || username.length > 64 || body.password === '' || Buffer.byteLength(body.password) > 72) {
    return [400, INVALID_DATA];
  }
  const hash = await bcrypt.hash(body.password, 10);
  try {
    await run('INSERT INTO users (id, email, username, password_hash) VALUES (?, ?, ?, ?)', [uuidv4(), email, username, hash]);
  } catch (err) {
    return [400, INVALID_DATA];
  }
  return [201, { message: 'Registration successful' }];
}

async function login(body) {
  if (!isObject(body) || typeof body.email !== 'string' || typeof body.password !== 'string') return [401, INVALID_LOGIN];
  const user = await get('SELECT id, username, password_hash FROM users WHERE email = ?', [body.email.trim()]);
  if (!user || !(await bcrypt.compare(body.password, user.password_hash))) return [401, INVALID_LOGIN];
  const token = jwt.sign({ username: user.username, sub: user.id, jti: uuidv4() }, SIGN_KEY, { algorithm: 'HS256', expiresIn: '1h' });
  return [200, { token, message: 'Login successful' }];
}

// authorized accepts a request only with a valid token of the user it names.
async function authorized(header, username) {
  const m = /^Bearer\s+(\S+)\s*$/.exec(header || '');
  if (!m || typeof username !== 'string' || username === '') return false;
  let claims;
  try {
    claims = jwt.verify(m[1], SIGN_KEY, { algorithms: ['HS256'] });
  } catch (err) {
    return false;
  }
  if (!claims || typeof claims.exp !== 'number' || claims.username !== username) return false;
  return !!(await get('SELECT 1 FROM users WHERE id = ? AND username = ?', [claims.sub, claims.username]));
}

async function setSecret(header, body) {
  if (!isObject(body) || typeof body.username !== 'string' || typeof body.secret !== 'string') {
    return (await authorized(header, isObject(body) ? body.username : undefined)) ? [400, { message: 'Invalid data' }] : [401, INVALID_TOKEN];
  }
  if (!(await authorized(header, body.username))) return [401, INVALID_TOKEN];
  await run('INSERT INTO secrets (username, secret) VALUES (?, ?) ON CONFLICT(username) DO UPDATE SET secret = excluded.secret', [
    body.username,
    seal(body.username, body.secret),
  ]);
  return [200, { message: 'Secret has been set successfully' }];
}

async function getSecret(header, username) {
  if (!(await authorized(header, username))) return [401, INVALID_TOKEN];
  const row = await get('SELECT secret FROM secrets WHERE username = ?', [username]);
  if (!row) return [404, { message: 'No secret stored' }];
  return [200, { secret: open(username, row.secret) }];
}

const app = fastify({ bodyLimit: 64 * 1024 });
app.setErrorHandler((err, request, reply) => {
  if (err.statusCode >= 400 && err.statusCode < 500) {
    const path = request.url.split('?')[0];
    if (path === '/login') return reply.code(401).send(INVALID_LOGIN);
    return reply.code(400).send(path === '/register' ? INVALID_DATA : { message: 'Invalid data' });
  }
  request.log.error(err);
  return reply.code(500).send({ message: 'Internal error' });
});
app.post('/register', async (request, reply) => {
  const [status, answer] = await register(request.body);
  return reply.code(status).send(answer);
});

app.post('/login', async (request, reply) => {
  const [status, answer] = await login(request.body);
  return reply.code(status).send(answer);
});

app.post('/set_secret', async (request, reply) => {
  const [status, answer] = await setSecret(request.headers.authorization, request.body);
  return reply.code(status).send(answer);
});

app.get('/get_secret', async (request, reply) => {
  const [status, answer] = await getSecret(request.headers.authorization, request.query.username);
  return reply.code(status).send(answer);
});

run(`CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  email TEXT UNIQUE NOT NULL,
  username TEXT UNIQUE NOT NULL,
  password_hash TEXT NOT NULL
)`, [])
  .then(() =>
    run(`CREATE TABLE IF NOT EXISTS secrets (
      username TEXT PRIMARY KEY REFERENCES users(username),
      secret TEXT NOT NULL
    )`, []),
  )
  .then(() => app.listen({ port: 5000, host: '0.0.0.0' }))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
