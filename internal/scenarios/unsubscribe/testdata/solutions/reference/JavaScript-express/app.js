'use strict';

const express = require('express');

const KEYWORDS = ['unsubscribe', 'remove me', 'deregister me', 'stop sending me', 'delete me'];
const ADDRESS_RE = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+$/;

// rawMail returns the e-mail text of a request. The API takes the raw mail as text/plain; a client that
// wraps it in a JSON object {"content": "..."} is accepted too.
function rawMail(req, text) {
  const isJSON = req.is('application/json');
  const trimmed = text.trim();
  if (isJSON || trimmed.startsWith('{')) {
    try {
      const wrapped = JSON.parse(trimmed);
      if (wrapped && typeof wrapped.content === 'string') return wrapped.content;
    } catch (err) {
      // not JSON after all
    }
    if (isJSON) return null;
  }
  return text;
}

// splitMessage separates the header block (up to the first empty line) from the body and unfolds the
// headers. Lines that look like headers inside the body are never consulted.
function splitMessage(raw) {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const headers = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1].value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() });
  }
  return { headers, body };
}

function header(headers, name) {
  const h = headers.find((x) => x.name === name);
  return h ? h.value : '';
}

// sender is the first address of the From header: the one in angle brackets, or the bare address.
function sender(from) {
  const angle = /<([^<>]*)>/.exec(from);
  const candidate = (angle ? angle[1] : from.split(',')[0]).trim();
  return ADDRESS_RE.test(candidate) ? candidate : null;
}

function decodeQuotedPrintable(text) {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodeEncodedWords(text) {
  return text.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (all, charset, enc, data) => {
    try {
      if (enc.toUpperCase() === 'B') return Buffer.from(data, 'base64').toString('utf8');
      return decodeQuotedPrintable(data.replace(/_/g, ' '));
    } catch (err) {
      return all;
    }
  });
}

// asksToUnsubscribe looks for the keywords in the subject and in the body, both as sent and with
// quoted-printable encoding undone, ignoring case and line breaks.
function asksToUnsubscribe(subject, body) {
  const text = [subject, body, decodeQuotedPrintable(body)].join('\n').toLowerCase().split(/\s+/).join(' ');
  return KEYWORDS.some((k) => text.includes(k));
}

const app = express();
app.use(express.text({ type: () => true, limit: '1mb' }));

app.post('/decideUnsubscribe', (req, res) => {
  const text = typeof req.body === 'string' ? req.body : '';
  const raw = rawMail(req, text);
  if (raw === null || raw.trim() === '') return res.status(400).json({ error: 'no e-mail given' });
  const { headers, body } = splitMessage(raw);
  const email = sender(header(headers, 'from'));
  if (!email) return res.status(400).json({ error: 'the e-mail has no valid sender' });
  const subject = decodeEncodedWords(header(headers, 'subject'));
  return res.status(200).json({ email, unsubscribe: asksToUnsubscribe(subject, body) });
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: 'could not read the e-mail' });
  return res.status(500).json({ error: 'internal error' });
});

app.listen(5000, '0.0.0.0');
