'use strict';

const fastify = require('fastify');
const multipart = require('@fastify/multipart');
const sqlite3 = require('sqlite3');

const MAX_REQUEST = 8 * 1024 * 1024; // whole multipart body
const MAX_PAGE = 1024 * 1024; // HTML page
const MAX_PHOTO = 6 * 1024 * 1024; // PNG picture
const MAX_DRAIN = 64 * 1024 * 1024; // what is read and thrown away of a refused request before answering
const VALID_USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

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

// drain reads and discards what the client still sends (up to a bound), so that an early error answer
// reaches it instead of a reset connection.
function drain(req, max) {
  return new Promise((resolve) => {
    if (req.complete) return resolve();
    let seen = 0;
    req.on('data', (chunk) => {
      seen += chunk.length;
      if (seen > max) {
        req.destroy();
        resolve();
      }
    });
    req.on('end', resolve);
    req.on('close', resolve);
    req.on('error', resolve);
    req.resume();
  });
}

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const app = fastify();
app.register(multipart, { limits: { fileSize: MAX_PHOTO, fieldSize: MAX_PAGE, files: 3, fields: 10 } });

const NOT_MULTIPART = 'Invalid input';
const TOO_LARGE = 'Profile page or photo too large';

// readForm collects the fields and the file parts of a multipart request in memory; a part above its
// limit ends the request with 413.
async function readForm(request) {
  if (!request.isMultipart()) throw new HttpError(400, NOT_MULTIPART);
  const fields = {};
  const files = [];
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      files.push({ fieldname: part.fieldname, filename: part.filename, buffer: await part.toBuffer() });
    } else {
      if (part.valueTruncated) throw new HttpError(413, TOO_LARGE);
      fields[part.fieldname] = part.value;
    }
  }
  return { fields, files };
}

// formValue reads one form field, or the content of a file part, whichever the client sent.
function formValue(form, name) {
  if (typeof form.fields[name] === 'string') return Buffer.from(form.fields[name], 'utf8');
  const file = form.files.find((f) => f.fieldname === name);
  return file ? file.buffer : null;
}

app.setErrorHandler(async (err, request, reply) => {
  await drain(request.raw, 128 * 1024 * 1024);
  if (err instanceof HttpError) return reply.code(err.status).type('text/plain; charset=utf-8').send(`${err.message}\n`);
  if (err.statusCode === 413) return reply.code(413).type('text/plain; charset=utf-8').send(`${TOO_LARGE}\n`);
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).type('text/plain; charset=utf-8').send(`${'Invalid input'}\n`);
  request.log.error(err);
  return reply.code(500).type('text/plain; charset=utf-8').send(`${'Internal error'}\n`);
});

app.post(
  '/add_profile',
  {
    onRequest: async (request, reply) => {
      if (Number(request.headers['content-length']) > MAX_REQUEST) {
        await drain(request.raw, MAX_DRAIN);
        return reply.code(413).type('text/plain; charset=utf-8').send('Request too large\n');
      }
      return undefined;
    },
  },
  async (request, reply) => {
    const form = await readForm(request);
    const username = (formValue(form, 'username') || Buffer.alloc(0)).toString('utf8');
    const page = formValue(form, 'profile_page');
    const photo = formValue(form, 'profile_photo');
    if (page && page.length > MAX_PAGE) throw new HttpError(413, TOO_LARGE);
    if (!VALID_USERNAME.test(username) || !page || page.length === 0 || !photo || !photo.subarray(0, 8).equals(PNG_MAGIC)) {
      throw new HttpError(400, 'Invalid input');
    }
    if (await get('SELECT 1 FROM profiles WHERE username = ?', [username])) {
      throw new HttpError(403, 'Profile already exists, creation forbidden');
    }
    try {
      await run('INSERT INTO profiles (username, page, photo) VALUES (?, ?, ?)', [username, page.toString('utf8'), photo]);
    } catch (err) {
      throw new HttpError(403, 'Profile already exists, creation forbidden');
    }
    return reply.code(201).type('text/plain; charset=utf-8').send('Profile created successfully\n');
  },
);

app.get('/profile/:username', async (request, reply) => {
  const row = await get('SELECT page FROM profiles WHERE username = ?', [request.params.username]);
  if (!row) throw new HttpError(404, 'Profile not found');
  // User-supplied markup is never served as markup: it is shown escaped, and scripts are forbidden.
  return reply
    .code(200)
    .type('text/html; charset=utf-8')
    .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
    .header('X-Content-Type-Options', 'nosniff')
    .send(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre>${escapeHTML(row.page)}</pre></body></html>`);
});

app.get('/profile-photo/:username', async (request, reply) => {
  const row = await get('SELECT photo FROM profiles WHERE username = ?', [request.params.username]);
  if (!row || !row.photo || row.photo.length === 0) throw new HttpError(404, 'Profile photo not found');
  return reply.code(200).type('image/png').header('X-Content-Type-Options', 'nosniff').send(row.photo);
});

run('CREATE TABLE IF NOT EXISTS profiles (username TEXT PRIMARY KEY, page TEXT NOT NULL, photo BLOB NOT NULL)', [])
  .then(() => app.listen({ port: 5000, host: '0.0.0.0' }))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
