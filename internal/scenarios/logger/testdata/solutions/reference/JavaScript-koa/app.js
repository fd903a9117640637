'use strict';

const fs = require('fs/promises');
const Koa = require('koa');
const Router = require('koa-router');
const bodyParser = require('koa-bodyparser');

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

const router = new Router();

router.post('/log', async (ctx) => {
  const body = ctx.request.body;
  if (!body || typeof body !== 'object' || typeof body.message !== 'string') {
    ctx.status = 400;
    ctx.body = { error: 'a JSON body with a "message" string is required' };
    return;
  }
  await appendLine(neutralize(body.message) + '\n');
  ctx.status = 200;
  ctx.body = { status: 'logged' };
});

router.get('/logs', async (ctx) => {
  let data = '';
  try {
    await queue;
    data = await fs.readFile(LOG_FILE, 'utf8');
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  ctx.status = 200;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = data;
});

const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const client = err.status >= 400 && err.status < 500;
    ctx.status = client ? 400 : 500;
    ctx.body = { error: client ? 'invalid request' : 'internal error' };
  }
});
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' }));
app.use(router.routes());
app.use(router.allowedMethods());

app.listen(5000, '0.0.0.0');
