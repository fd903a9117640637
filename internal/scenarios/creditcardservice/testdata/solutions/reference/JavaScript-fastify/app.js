'use strict';

const fastify = require('fastify');
const sqlite3 = require('sqlite3');

const MAX_PHONES = 100;

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

function nonEmptyString(v) {
  return typeof v === 'string' && v.trim() !== '';
}

async function associate(body) {
  if (!body || typeof body !== 'object' || !nonEmptyString(body.credit_card) || !nonEmptyString(body.phone)) {
    return [400, { error: 'credit_card and phone are required strings' }];
  }
  await run('INSERT OR IGNORE INTO associations (credit_card, phone) VALUES (?, ?)', [
    body.credit_card.trim(),
    body.phone.trim(),
  ]);
  return [201, { message: 'association created' }];
}

// retrieve returns the cards linked to every one of the given phones. The phones must be a real
// array of 1 to 100 strings: an empty set would match every card, and array-like objects are refused.
async function retrieve(body) {
  const phones = body && typeof body === 'object' ? body.phone_numbers : undefined;
  if (!Array.isArray(phones) || phones.length === 0 || phones.length > MAX_PHONES || !phones.every(nonEmptyString)) {
    return [400, { error: 'phone_numbers must be an array of 1 to 100 phone numbers' }];
  }
  const distinct = [...new Set(phones.map((p) => p.trim()))];
  const placeholders = distinct.map(() => '?').join(',');
  const rows = await all(
    `SELECT credit_card FROM associations WHERE phone IN (${placeholders})
     GROUP BY credit_card HAVING COUNT(DISTINCT phone) = ? ORDER BY credit_card`,
    [...distinct, distinct.length],
  );
  if (rows.length === 0) return [404, { error: 'no cards found' }];
  return [200, { card_numbers: rows.map((r) => r.credit_card) }];
}

const app = fastify({ bodyLimit: 1024 * 1024 });
app.setErrorHandler((err, request, reply) => {
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send({ error: 'invalid request' });
  request.log.error(err);
  return reply.code(500).send({ error: 'internal error' });
});

app.post('/associate_card', async (request, reply) => {
  const [status, answer] = await associate(request.body);
  return reply.code(status).send(answer);
});

app.post('/retrieve_cards', async (request, reply) => {
  const [status, answer] = await retrieve(request.body);
  return reply.code(status).send(answer);
});

run(`CREATE TABLE IF NOT EXISTS associations (
  credit_card TEXT NOT NULL,
  phone TEXT NOT NULL,
  PRIMARY KEY (credit_card, phone)
)`, [])
  .then(() => app.listen({ port: 5000, host: '0.0.0.0' }))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
