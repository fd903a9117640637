'use strict';

const crypto = require('crypto');
const fastify = require('fastify');
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

const app = fastify({ bodyLimit: 1024 * 1024 });

// Malformed or oversized bodies are the client's fault: answer as for invalid data. Anything else is
// an internal error whose details stay in the server.
app.setErrorHandler((err, request, reply) => {
  if (err.statusCode >= 400 && err.statusCode < 500) {
    if (request.url.startsWith('/login')) return reply.code(401).send(INVALID_LOGIN);
    return reply.code(400).send(INVALID_DATA);
  }
  return reply.code(500).send({ message: 'Internal server error' });
});

app.post('/register', async (request, reply) => {
  const body = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return reply.code(400).send(INVALID_DATA);
  const { email, password } = body;
  const name = body.name === undefined || body.name === null ? '' : body.name;
  if (typeof email !== 'string' || typeof password !== 'string' || typeof name !== 'string') {
    return reply.code(400).send(INVALID_DATA);
  }
  const cleanEmail = email.trim();
  if (!EMAIL_RE.test(cleanEmail) || cleanEmail.length > 254 || password.length === 0) {
    return reply.code(400).send(INVALID_DATA);
  }
  try {
    const id = uuidv4();
    const hash = await bcrypt.hash(password, 10);
    await run('INSERT INTO users (id, email, password_hash, name) VALUES (?, ?, ?, ?)', [id, cleanEmail, hash, name]);
    return reply.code(201).send({ message: 'Registration successful', userId: id });
  } catch (err) {
    return reply.code(400).send(INVALID_DATA);
  }
});

app.post('/login', async (request, reply) => {
  const body = request.body;
  if (!body || typeof body !== 'object' || typeof body.email !== 'string' || typeof body.password !== 'string') {
    return reply.code(401).send(INVALID_LOGIN);
  }
  const row = await get('SELECT id, password_hash FROM users WHERE email = ?', [body.email.trim()]);
  if (!row || !(await bcrypt.compare(body.password, row.password_hash))) return reply.code(401).send(INVALID_LOGIN);
  const token = jwt.sign({ sub: row.id, jti: uuidv4() }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });
  return reply.code(200).send({ token, message: 'Login successful' });
});

run(`CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  email TEXT UNIQUE NOT NULL,
  password_hash TEXT NOT NULL,
  name TEXT
)`, [])
  .then(() => app.listen({ port: 5000, host: '0.0.0.0' }))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
