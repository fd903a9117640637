'use strict';

const fastify = require('fastify');
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

// addClick stores a click. ISO timestamps in UTC have a fixed width, so text order is time order.
async function addClick() {
  const click = { id: uuidv4(), timestamp: new Date().toISOString() };
  await run('INSERT INTO clicks (id, timestamp) VALUES (?, ?)', [click.id, click.timestamp]);
  return [201, click];
}

// listClicks returns [status, answer]. A click on the given day counts as on the date: "<" means
// before the day starts, ">" after it ends.
async function listClicks(date, direction) {
  const op = typeof direction === 'string' && Object.prototype.hasOwnProperty.call(OPERATORS, direction) ? OPERATORS[direction] : null;
  if (!op) return [400, { error: 'direction must be one of <, >, <=, >=' }];
  const day = parseDay(date);
  if (day === null) return [400, { error: 'date must look like 2022-01-01' }];
  const bound = op === '>' || op === '<=' ? day + DAY_MS - 1 : day;
  const rows = await all(`SELECT id, timestamp FROM clicks WHERE timestamp ${op} ? ORDER BY timestamp`, [
    new Date(bound).toISOString(),
  ]);
  if (rows.length === 0) return [404, { error: 'no clicks found' }];
  return [200, rows.map((r) => ({ id: r.id, timestamp: r.timestamp }))];
}

const app = fastify();

app.setErrorHandler((err, request, reply) => {
  const client = err.statusCode >= 400 && err.statusCode < 500;
  reply.code(client ? 400 : 500).send({ error: client ? 'invalid request' : 'internal error' });
});

app.post('/click', async (request, reply) => {
  const [status, answer] = await addClick();
  return reply.code(status).send(answer);
});

app.get('/clicks', async (request, reply) => {
  const [status, answer] = await listClicks(request.query.date, request.query.direction);
  return reply.code(status).send(answer);
});

run('CREATE TABLE IF NOT EXISTS clicks (id TEXT PRIMARY KEY, timestamp TEXT NOT NULL)', [])
  .then(() => app.listen({ port: 5000, host: '0.0.0.0' }))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
