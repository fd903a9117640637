'use strict';

const crypto = require('crypto');
const express = require('express');
const sqlite3 = require('sqlite3');

const MAX_FIELD = 1024;

let KEY = process.env.APP_SECRET;
if (!KEY) {
  KEY = crypto.randomBytes(32).toString('hex');
  console.warn('APP_SECRET is not set: using a random key, tokens will not survive a restart');
}

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
  return crypto.createHmac('sha256', KEY).update(token, 'utf8').digest('hex');
}

function validField(v) {
  return typeof v === 'string' && v !== '' && v.length <= MAX_FIELD;
}

const app = express();
app.use(express.json({ limit: '64kb' }));

app.post('/heartbeat', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || !validField(body.serviceId) || !validField(body.token)) {
    return res.status(400).json({ error: 'Invalid request payload' });
  }
  try {
    await run(
      `INSERT INTO services (service_id, token_hash, last_notification) VALUES (?, ?, ?)
       ON CONFLICT (service_id, token_hash) DO UPDATE SET last_notification = excluded.last_notification`,
      [body.serviceId, tokenKey(body.token), new Date().toISOString()],
    );
    return res.status(200).json({ message: 'Heartbeat registered successfully' });
  } catch (err) {
    return res.status(500).json({ error: 'Internal server error' });
  }
});

app.post('/services', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.token !== 'string') {
    return res.status(400).json({ error: 'Invalid request payload' });
  }
  try {
    const rows = await all('SELECT service_id, last_notification FROM services WHERE token_hash = ? ORDER BY service_id', [
      tokenKey(body.token),
    ]);
    return res.status(200).json(rows.map((r) => ({ serviceId: r.service_id, lastNotification: r.last_notification })));
  } catch (err) {
    return res.status(500).json({ error: 'Internal server error' });
  }
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: 'Invalid request payload' });
  return res.status(500).json({ error: 'Internal server error' });
});

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
