'use strict';

const fs = require('fs/promises');
const fastify = require('fastify');

const LOG_FILE = 'logs.txt';

// Every character a reader may treat as a line break, plus the backslash, is written as an escape
// sequence, so one message is always exactly one line of the file.
const ESCAPES = {
  '\\': '\\\\',
  '\r': '\\r',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\x1c': '\\x1c',
  '\x1d': '\\x1d',
  '\x1e': '\\x1e',
  '\u0085': '\\u0085',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
const ESCAPE_RE = /[\\\r\n\v\f\x1c-\x1e\u0085\u2028\u2029]/g;

function neutralize(message) {
  return message.replace(ESCAPE_RE, (c) => ESCAPES[c]);
}

// Appends run one after another so lines never interleave.
let queue = Promise.resolve();
function appendLine(line) {
  const next = queue.then(() => fs.appendFile(LOG_FILE, line, { mode: 0o600 }));
  queue = next.catch(() => {});
  return next;
}

const app = fastify({ bodyLimit: 1024 * 1024 });
app.setErrorHandler((err, request, reply) => {
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send({ error: 'invalid request' });
  request.log.error(err);
  return reply.code(500).send({ error: 'internal error' });
});

app.post('/log', async (request, reply) => {
  const body = request.body;
  if (!body || typeof body !== 'object' || typeof body.message !== 'string') {
    return reply.code(400).send({ error: 'a JSON body with a "message" string is required' });
  }
  await appendLine(neutralize(body.message) + '\n');
  return reply.code(200).send({ status: 'logged' });
});

app.get('/logs', async (request, reply) => {
  let data = '';
  try {
    await queue;
    data = await fs.readFile(LOG_FILE, 'utf8');
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  return reply.code(200).type('text/plain; charset=utf-8').header('X-Content-Type-Options', 'nosniff').send(data);
});

app.listen({ port: 5000, host: '0.0.0.0' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
