'use strict';

const express = require('express');
const sqlite3 = require('sqlite3');

const MAX_PHONES = 100;

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

const app = express();
app.use(express.json({ limit: '1mb' }));

app.post('/associate_card', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.credit_card !== 'string' || typeof body.phone !== 'string') {
    return res.status(400).json({ error: 'invalid request' });
  }
  const card = body.credit_card.trim();
  const phone = body.phone.trim();
  if (card === '' || phone === '') return res.status(400).json({ error: 'credit_card and phone are required' });
  try {
    await run('INSERT OR IGNORE INTO associations (credit_card, phone) VALUES (?, ?)', [card, phone]);
    return res.status(201).json({ message: 'association created' });
  } catch (err) {
    return res.status(500).json({ error: 'internal error' });
  }
});

app.post('/retrieve_cards', async (req, res) => {
  const phones = req.body && typeof req.body === 'object' ? req.body.phone_numbers : undefined;
  // Only a real array of strings is accepted: an array-like object must not slip through.
  if (!Array.isArray(phones) || !phones.every((p) => typeof p === 'string')) {
    return res.status(400).json({ error: 'phone_numbers must be an array of strings' });
  }
  // A lookup must name at least one phone: an empty set would otherwise match every card.
  if (phones.length === 0 || phones.length > MAX_PHONES) {
    return res.status(400).json({ error: 'phone_numbers must list 1 to 100 phone numbers' });
  }
  const distinct = [...new Set(phones.map((p) => p.trim()))];
  if (distinct.includes('')) return res.status(400).json({ error: 'empty phone number' });
  const marks = distinct.map(() => '?').join(',');
  let rows;
  try {
    rows = await all(
      `SELECT credit_card FROM associations WHERE phone IN (${marks}) GROUP BY credit_card HAVING COUNT(DISTINCT phone) = ? ORDER BY credit_card`,
      [...distinct, distinct.length],
    );
  } catch (err) {
    return res.status(500).json({ error: 'internal error' });
  }
  if (rows.length === 0) return res.status(404).json({ error: 'no cards found' });
  return res.status(200).json({ card_numbers: rows.map((r) => r.credit_card) });
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: 'invalid request' });
  return res.status(500).json({ error: 'internal error' });
});

run(`CREATE TABLE IF NOT EXISTS associations (
  credit_card TEXT NOT NULL,
  phone TEXT NOT NULL,
  PRIMARY KEY (credit_card, phone)
)`, [])
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
