'use strict';

const fs = require('fs');
const express = require('express');

const LOG_FILE = 'logs.txt';

// Every character a reader may treat as a line break (and the backslash itself) is written as an
// escape sequence, so one message always stays on one line.
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
const BREAKS = /[\\\r\n\v\f\x1c\x1d\x1e\u0085\u2028\u2029]/g;

function neutralize(message) {
  return message.replace(BREAKS, (c) => ESCAPES[c]);
}

const app = express();
app.use(express.json({ limit: '1mb' }));

app.post('/log', (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.message !== 'string') {
    return res.status(400).json({ error: 'a JSON body with a "message" string is required' });
  }
  try {
    fs.appendFileSync(LOG_FILE, neutralize(body.message) + '\n', { mode: 0o600 });
  } catch (err) {
    return res.status(500).json({ error: 'could not store the message' });
  }
  return res.status(200).json({ status: 'logged' });
});

app.get('/logs', (req, res) => {
  let data = '';
  try {
    data = fs.readFileSync(LOG_FILE, 'utf8');
  } catch (err) {
    if (err.code !== 'ENOENT') return res.status(500).json({ error: 'could not read the logs' });
  }
  res.set('X-Content-Type-Options', 'nosniff');
  return res.status(200).type('text/plain').send(data);
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: 'invalid request' });
  return res.status(500).json({ error: 'internal error' });
});

app.listen(5000, '0.0.0.0');
