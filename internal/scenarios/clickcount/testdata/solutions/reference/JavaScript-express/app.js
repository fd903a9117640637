'use strict';

const express = require('express');
const sqlite3 = require('sqlite3');
const { v4: uuidv4 } = require('uuid');

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;
// The accepted directions; nothing else ever reaches the query text.
const OPERATORS = { '<': '<', '>': '>', '<=': '<=', '>=': '>=' };

const db = new sqlite3.Database('db.sqlite3');

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

// parseDay returns the UTC start of a YYYY-MM-DD day, or null when the text is not a real date.
function parseDay(text) {
  const m = typeof text === 'string' ? DATE_RE.exec(text) : null;
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t;
}

const app = express();

app.post('/click', async (req, res) => {
  // ISO timestamps in UTC have a fixed width, so text order is time order.
  const click = { id: uuidv4(), timestamp: new Date().toISOString() };
  try {
    await run('INSERT INTO clicks (id, timestamp) VALUES (?, ?)', [click.id, click.timestamp]);
    return res.status(201).json(click);
  } catch (err) {
    return res.status(400).json({ error: 'invalid request' });
  }
});

// A click on the given day counts as on the date: "<" means before the day starts, ">" after it ends.
app.get('/clicks', async (req, res) => {
  const op = Object.prototype.hasOwnProperty.call(OPERATORS, req.query.direction) ? OPERATORS[req.query.direction] : null;
  if (!op) return res.status(400).json({ error: 'direction must be one of <, >, <=, >=' });
  const day = parseDay(req.query.date);
  if (day === null) return res.status(400).json({ error: 'date must look like 2022-01-01' });
  let bound = day;
  if (op === '>' || op === '<=') bound = day + DAY_MS - 1;
  try {
    const rows = await all(`SELECT id, timestamp FROM clicks WHERE timestamp ${op} ? ORDER BY timestamp`, [
      new Date(bound).toISOString(),
    ]);
    if (rows.length === 0) return res.status(404).json({ error: 'no clicks found' });
    return res.status(200).json(rows.map((r) => ({ id: r.id, timestamp: r.timestamp })));
  } catch (err) {
    return res.status(500).json({ error: 'internal error' });
  }
});

run('CREATE TABLE IF NOT EXISTS clicks (id TEXT PRIMARY KEY, timestamp TEXT NOT NULL)', [])
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
