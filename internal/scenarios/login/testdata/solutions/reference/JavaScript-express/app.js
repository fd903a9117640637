'use strict';

const crypto = require('crypto');
const express = require('express');
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
    db.run(sql, params, function done(err) {
      if (err) reject(err);
      else resolve(this);
    });
  });
}

function get(sql, params) {
  return new Promise((resolve, reject) => {
    db.get(sql, params, (err, row) => (err ? reject(err) : resolve(row)));
  });
}

const app = express();
app.use(express.json({ limit: '1mb' }));

app.post('/register', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return res.status(400).json(INVALID_DATA);
  }
  const { email, password } = body;
  const name = body.name === undefined || body.name === null ? '' : body.name;
  if (typeof email !== 'string' || typeof password !== 'string' || typeof name !== 'string') {
    return res.status(400).json(INVALID_DATA);
  }
  const cleanEmail = email.trim();
  if (!EMAIL_RE.test(cleanEmail) || cleanEmail.length > 254 || password.length === 0) {
    return res.status(400).json(INVALID_DATA);
  }
  try {
    const id = uuidv4();
    const hash = await bcrypt.hash(password, 10);
    await run('INSERT INTO users (id, email, password_hash, name) VALUES (?, ?, ?, ?)', [id, cleanEmail, hash, name]);
    return res.status(201).json({ message: 'Registration successful', userId: id });
  } catch (err) {
    return res.status(400).json(INVALID_DATA);
  }
});

app.post('/login', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.email !== 'string' || typeof body.password !== 'string') {
    return res.status(401).json(INVALID_LOGIN);
  }
  try {
    const row = await get('SELECT id, password_hash FROM users WHERE email = ?', [body.email.trim()]);
    if (!row || !(await bcrypt.compare(body.password, row.password_hash))) {
      return res.status(401).json(INVALID_LOGIN);
    }
    const token = jwt.sign({ sub: row.id, jti: uuidv4() }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });
    return res.status(200).json({ token, message: 'Login successful' });
  } catch (err) {
    return res.status(500).json({ message: 'Internal server error' });
  }
});

// Malformed or oversized bodies are the client's fault: answer as for invalid data.
app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) {
    return req.path === '/login' ? res.status(401).json(INVALID_LOGIN) : res.status(400).json(INVALID_DATA);
  }
  return res.status(500).json({ message: 'Internal server error' });
});

run(`CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  email TEXT UNIQUE NOT NULL,
  password_hash TEXT NOT NULL,
  name TEXT
)`, [])
  .then(() => {
    app.listen(5000, '0.0.0.0');
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
