'use strict';

const crypto = require('crypto');
const express = require('express');
const bcrypt = require('bcrypt');
const jwt = require('jsonwebtoken');
const sqlite3 = require('sqlite3');
const { v4: uuidv4 } = require('uuid');

const APP_SECRET = process.env.APP_SECRET;
if (!APP_SECRET) {
  console.error('APP_SECRET is not set');
  process.exit(1);
}
// Separate keys for signing tokens and for encrypting secrets, both derived from APP_SECRET.
const SIGN_KEY = crypto.createHash('sha256').update('jwt-signing:' + APP_SECRET).digest();
const ENC_KEY = crypto.createHash('sha256').update('secret-encryption:' + APP_SECRET).digest();
const EMAIL_RE = /^[^@\s<>()[\],;:"]+@[^@\s<>()[\],;:"]+\.[^@\s<>()[\],;:"]+$/;
const INVALID_DATA = 'Email already in use or invalid data';
const INVALID_LOGIN = 'Invalid email or password';
const INVALID_TOKEN = 'Invalid authentication token';

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

function exec(sql) {
  return new Promise((resolve, reject) => {
    db.exec(sql, (err) => (err ? reject(err) : resolve()));
  });
}

function message(res, status, text) {
  return res.status(status).json({ message: text });
}

// Secrets are stored encrypted with AES-256-GCM, bound to their owner's name.
function seal(username, plain) {
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', ENC_KEY, nonce);
  cipher.setAAD(Buffer.from(username, 'utf8'));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, data, cipher.getAuthTag()]).toString('base64');
}

function open(username, sealed) {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < 28) throw new Error('corrupt secret');
  const decipher = crypto.createDecipheriv('aes-256-gcm', ENC_KEY, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(username, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
}

// authorize accepts a request only with a valid token of the user it names; anything else is 401.
async function authorize(req, username) {
  const header = req.get('Authorization') || '';
  if (!header.startsWith('Bearer ') || typeof username !== 'string' || username === '') return false;
  let claims;
  try {
    claims = jwt.verify(header.slice(7).trim(), SIGN_KEY, { algorithms: ['HS256'] });
  } catch (err) {
    return false;
  }
  if (!claims || typeof claims.exp !== 'number' || typeof claims.sub !== 'string' || claims.username !== username) return false;
  const row = await get('SELECT COUNT(*) AS n FROM users WHERE id = ? AND username = ?', [claims.sub, claims.username]);
  return row.n === 1;
}

const app = express();
app.use(express.json({ limit: '64kb' }));

app.post('/register', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.email !== 'string' || typeof body.username !== 'string' || typeof body.password !== 'string') {
    return message(res, 400, INVALID_DATA);
  }
  const email = body.email.trim();
  const username = body.username.trim();
  if (!EMAIL_RE.test(email) || username === '' || username.length > 64 || body.password === '' || Buffer.byteLength(body.password) > 72) {
    return message(res, 400, INVALID_DATA);
  }
  try {
    const hash = await bcrypt.hash(body.password, 10);
    await run('INSERT INTO users (id, email, username, password_hash) VALUES (?, ?, ?, ?)', [uuidv4(), email, username, hash]);
    return message(res, 201, 'Registration successful');
  } catch (err) {
    return message(res, 400, INVALID_DATA);
  }
});

app.post('/login', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.email !== 'string' || typeof body.password !== 'string') {
    return message(res, 401, INVALID_LOGIN);
  }
  try {
    const row = await get('SELECT id, username, password_hash FROM users WHERE email = ?', [body.email.trim()]);
    if (!row || !(await bcrypt.compare(body.password, row.password_hash))) return message(res, 401, INVALID_LOGIN);
    const token = jwt.sign({ username: row.username }, SIGN_KEY, {
      algorithm: 'HS256',
      subject: row.id,
      expiresIn: '1h',
      jwtid: uuidv4(),
    });
    return res.status(200).json({ token, message: 'Login successful' });
  } catch (err) {
    return message(res, 500, 'Internal error');
  }
});

app.post('/set_secret', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.secret !== 'string') return message(res, 400, 'Invalid data');
  try {
    if (!(await authorize(req, body.username))) return message(res, 401, INVALID_TOKEN);
    await run('INSERT INTO secrets (username, secret) VALUES (?, ?) ON CONFLICT(username) DO UPDATE SET secret = excluded.secret', [
      body.username,
      seal(body.username, body.secret),
    ]);
    return message(res, 200, 'Secret has been set successfully');
  } catch (err) {
    return message(res, 500, 'Internal error');
  }
});

app.get('/get_secret', async (req, res) => {
  const username = req.query.username;
  try {
    if (!(await authorize(req, username))) return message(res, 401, INVALID_TOKEN);
    const row = await get('SELECT secret FROM secrets WHERE username = ?', [username]);
    if (!row) return message(res, 404, 'No secret stored');
    return res.status(200).json({ secret: open(username, row.secret) });
  } catch (err) {
    return message(res, 500, 'Internal error');
  }
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) {
    if (req.path === '/login') return message(res, 401, INVALID_LOGIN);
    return message(res, 400, req.path === '/register' ? INVALID_DATA : 'Invalid data');
  }
  return message(res, 500, 'Internal error');
});

exec(`
  CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    email TEXT UNIQUE NOT NULL,
    username TEXT UNIQUE NOT NULL,
    password_hash TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS secrets (
    username TEXT PRIMARY KEY REFERENCES users(username),
    secret TEXT NOT NULL
  );`)
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
