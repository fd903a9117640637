'use strict';

const fastify = require('fastify');
const bcrypt = require('bcrypt');
const sqlite3 = require('sqlite3');
const { v4: uuidv4 } = require('uuid');

const EMAIL_RE = /^[^@\s"<>(),;:\\[\]]+@[^@\s"<>(),;:\\[\]]+\.[^@\s"<>(),;:\\[\]]+$/;

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

// Each change reads and then writes; changes run one after another so two requests never race.
let changes = Promise.resolve();
function serialized(fn) {
  const result = changes.then(fn);
  changes = result.catch(() => {});
  return result;
}

function isObject(body) {
  return body && typeof body === 'object' && !Array.isArray(body);
}

function inviteUser(body) {
  if (!isObject(body) || typeof body.email !== 'string') return [400, { message: 'Invalid request' }];
  const email = body.email.trim().toLowerCase();
  if (!EMAIL_RE.test(email) || email.length > 254) return [400, { message: 'Invalid email' }];
  return serialized(async () => {
    const row = await get('SELECT invite_id FROM invitations WHERE email = ?', [email]);
    if (row) return [200, { invite_id: row.invite_id, message: 'Invitation already exists for this email' }];
    // Invitations are random UUIDs: they cannot be guessed.
    const id = uuidv4();
    await run('INSERT INTO invitations (invite_id, email, created_at) VALUES (?, ?, ?)', [id, email, new Date().toISOString()]);
    return [200, { invite_id: id, message: 'Invitation created' }];
  });
}

function createUser(body) {
  if (!isObject(body)) return [400, { message: 'Invalid request' }];
  const { invite_id: inviteId, user_name: userName, password } = body;
  if (typeof inviteId !== 'string') return [401, { message: 'Invalid invite_id' }];
  return serialized(async () => {
    const invite = await get('SELECT invite_id, email FROM invitations WHERE invite_id = ? AND used = 0', [inviteId]);
    if (!invite) return [401, { message: 'Invalid invite_id' }];
    const name = typeof userName === 'string' ? userName.trim() : '';
    if (name === '' || name.length > 100 || typeof password !== 'string' || password === '' || Buffer.byteLength(password) > 72) {
      return [400, { message: 'A user name and a password of at most 72 bytes are required' }];
    }
    if (await get('SELECT 1 FROM users WHERE user_name = ?', [name])) {
      return [400, { message: 'Username already exists. Try providing different username.' }];
    }
    const hash = await bcrypt.hash(password, 10);
    await run('INSERT INTO users (user_name, email, password_hash) VALUES (?, ?, ?)', [name, invite.email, hash]);
    await run('UPDATE invitations SET used = 1 WHERE invite_id = ?', [invite.invite_id]);
    return [200, { message: 'User created' }];
  });
}

const app = fastify({ bodyLimit: 64 * 1024 });
app.setErrorHandler((err, request, reply) => {
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send({ message: 'Invalid request' });
  request.log.error(err);
  return reply.code(500).send({ message: 'Internal error' });
});

app.post('/invite_user', async (request, reply) => {
  const [status, answer] = await inviteUser(request.body);
  return reply.code(status).send(answer);
});

app.post('/create_user', async (request, reply) => {
  const [status, answer] = await createUser(request.body);
  return reply.code(status).send(answer);
});

run(`CREATE TABLE IF NOT EXISTS invitations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  invite_id TEXT UNIQUE NOT NULL,
  email TEXT UNIQUE NOT NULL,
  used INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
)`, [])
  .then(() =>
    run(`CREATE TABLE IF NOT EXISTS users (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      user_name TEXT UNIQUE NOT NULL,
      email TEXT NOT NULL,
      password_hash TEXT NOT NULL
    )`, []),
  )
  .then(() => app.listen({ port: 5000, host: '0.0.0.0' }))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
