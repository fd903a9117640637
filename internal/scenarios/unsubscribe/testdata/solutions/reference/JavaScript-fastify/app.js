'use strict';

const fastify = require('fastify');

const MAX_MAIL = 1024 * 1024;
const KEYWORDS = ['unsubscribe', 'remove me', 'deregister me', 'stop sending me', 'delete me'];

class BadRequest extends Error {}

// rawMail returns the e-mail text of a request. The API takes the raw mail as text/plain; a client that
// wraps it in a JSON object {"content": "..."} is accepted too.
function rawMail(contentType, body) {
  const isJSON = /^application\/json\b/i.test(contentType || '');
  const trimmed = body.trim();
  if (isJSON || trimmed.startsWith('{')) {
    try {
      const wrapped = JSON.parse(trimmed);
      if (wrapped && typeof wrapped.content === 'string') return wrapped.content;
    } catch (err) {
      // not JSON: the body is the e-mail itself
    }
    if (isJSON) throw new BadRequest('a JSON body needs a "content" string');
  }
  return body;
}

// splitMessage separates the header block (up to the first empty line) from the body and unfolds the
// headers. Header-like lines inside the body are never looked at.
function splitMessage(raw) {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const headers = {};
  let last = null;
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && last) {
      headers[last] += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    if (!(last in headers)) headers[last] = line.slice(colon + 1).trim();
    else last = null; // only the first occurrence of a header counts
  }
  return { headers, body };
}

// senderAddress is the bare address of the From header: the part in angle brackets, or the whole
// value when there are none.
function senderAddress(from) {
  if (!from) return null;
  const angle = /<([^<>@\s]+@[^<>@\s]+)>/.exec(from);
  if (angle) return angle[1];
  const bare = /^\s*"?([^\s"<>@,;]+@[^\s"<>@,;]+)"?\s*(\(.*\))?\s*$/.exec(from);
  return bare ? bare[1] : null;
}

function decodeQuotedPrintable(text) {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

// asksToUnsubscribe looks for the keywords in the subject and the body, both as sent and with
// quoted-printable encoding undone, ignoring case and line breaks.
function asksToUnsubscribe(subject, body) {
  const text = [subject, body, decodeQuotedPrintable(body)].join('\n').toLowerCase().split(/\s+/).join(' ');
  return KEYWORDS.some((k) => text.includes(k));
}

const app = fastify();
// The e-mail is read as raw text whatever the request's content type says.
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_MAIL }, (request, body, done) => done(null, body));

app.setErrorHandler((err, request, reply) => {
  if (err instanceof BadRequest) return reply.code(400).send({ error: err.message });
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send({ error: 'invalid request' });
  return reply.code(500).send({ error: 'internal error' });
});

app.post('/decideUnsubscribe', async (request, reply) => {
  const raw = rawMail(request.headers['content-type'], typeof request.body === 'string' ? request.body : '');
  if (raw.trim() === '') throw new BadRequest('no e-mail given');
  const { headers, body } = splitMessage(raw);
  const email = senderAddress(headers.from);
  if (!email) throw new BadRequest('the e-mail has no valid sender');
  return reply.code(200).send({ email, unsubscribe: asksToUnsubscribe(headers.subject || '', body) });
});

app.listen({ port: 5000, host: '0.0.0.0' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
