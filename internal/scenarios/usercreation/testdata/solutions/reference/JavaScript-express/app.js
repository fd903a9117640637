'use strict';

const express = require('express');
const bcrypt = require('bcrypt');
const sqlite3 = require('sqlite3');
const { v4: uuidv4 } = require('uuid');

const EMAIL_RE = /^[^@\s<>()[\],;:"]+@[^@\s<>()[\],;:"]+\.[^@\s<>()[\],;:"]+$/;

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

// Check-then-write sequences run one at a time, each in its own transaction.
let queue = Promise.resolve();
function serialized(work) {
  const next = queue.then(async () => {
    await run('BEGIN IMMEDIATE', []);
    try {
      const result = await work();
      await run('COMMIT', []);
      return result;
    } catch (err) {
      await run('ROLLBACK', []).catch(() => {});
      throw err;
    }
  });
  queue = next.catch(() => {});
  return next;
}

class HTTPError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function message(res, status, text) {
  return res.status(status).json({ message: text });
}

const app = express();
app.use(express.json({ limit: '64kb' }));

app.post('/invite_user', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.email !== 'string') return message(res, 400, 'Invalid request');
  const email = body.email.trim().toLowerCase();
  if (!EMAIL_RE.test(email) || email.length > 254) return message(res, 400, 'Invalid email');
  try {
    const result = await serialized(async () => {
      const row = await get('SELECT invite_id FROM invitations WHERE email = ?', [email]);
      if (row) return { invite_id: row.invite_id, message: 'Invitation already exists for this email' };
      const id = uuidv4();
      await run('INSERT INTO invitations (invite_id, email, created_at) VALUES (?, ?, ?)', [id, email, new Date().toISOString()]);
      return { invite_id: id, message: 'Invitation created' };
    });
    return res.status(200).json(result);
  } catch (err) {
    return message(res, 500, 'Internal error');
  }
});

app.post('/create_user', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object') return message(res, 400, 'Invalid request');
  const { invite_id: inviteID, user_name: userName, password } = body;
  if (typeof inviteID !== 'string') return message(res, 401, 'Invalid invite_id');
  try {
    await serialized(async () => {
      const invite = await get('SELECT invite_id, email FROM invitations WHERE invite_id = ? AND used = 0', [inviteID]);
      if (!invite) throw new HTTPError(401, 'Invalid invite_id');
      const name = typeof userName === 'string' ? userName.trim() : '';
      if (name === '' || name.length > 100 || typeof password !== 'string' || password === '' || Buffer.byteLength(password) > 72) {
        throw new HTTPError(400, 'A user name and a password of at most 72 bytes are required');
      }
      const existing = await get('SELECT COUNT(*) AS n FROM users WHERE user_name = ?', [name]);
      if (existing.n > 0) throw new HTTPError(400, 'Username already exists. Try providing different username.');
      const hash = await bcrypt.hash(password, 10);
      await run('INSERT INTO users (user_name, email, password_hash) VALUES (?, ?, ?)', [name, invite.email, hash]);
      await run('UPDATE invitations SET used = 1 WHERE invite_id = ?', [invite.invite_id]);
    });
    return message(res, 200, 'User created');
  } catch (err) {
    if (err instanceof HTTPError) return message(res, err.status, err.message);
    return message(res, 500, 'Internal error');
  }
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return message(res, 400, 'Invalid request');
  return message(res, 500, 'Internal error');
});

exec(`
  CREATE TABLE IF NOT EXISTS invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    invite_id TEXT UNIQUE NOT NULL,
    email TEXT UNIQUE NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name TEXT UNIQUE NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL
  );`)
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
