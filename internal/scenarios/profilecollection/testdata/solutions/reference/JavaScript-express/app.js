'use strict';

const express = require('express');
const multer = require('multer');
const sqlite3 = require('sqlite3');

const MAX_REQUEST = 8 * 1024 * 1024; // whole multipart body
const MAX_PAGE = 1024 * 1024; // HTML page
const MAX_PHOTO = 6 * 1024 * 1024; // PNG picture
const MAX_DRAIN = 64 * 1024 * 1024; // what is read and thrown away of an oversized request before answering
const VALID_USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;
const PNG_MAGIC = Buffer.from('\x89PNG\r\n\x1a\n', 'latin1');

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

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_PHOTO, fieldSize: MAX_PAGE, files: 2, fields: 10 },
});

function sendText(res, status, message) {
  return res.status(status).type('text/plain').send(message + '\n');
}

// refuse answers an error once the rest of the request (up to a bound) has been read and thrown away,
// so that the client receives the answer instead of a reset connection.
function refuse(req, res, status, message) {
  if (req.complete) return sendText(res, status, message);
  let seen = 0;
  req.on('data', (chunk) => {
    seen += chunk.length;
    if (seen > MAX_DRAIN) req.destroy();
  });
  req.on('end', () => sendText(res, status, message));
  req.on('error', () => {});
  req.resume();
  return undefined;
}

// formValue reads one form field, or the content of a file part, whichever the client sent.
function formValue(req, name) {
  if (req.body && typeof req.body[name] === 'string') return Buffer.from(req.body[name], 'utf8');
  const files = req.files && req.files[name];
  return files && files.length > 0 ? files[0].buffer : null;
}

function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

const app = express();

app.post(
  '/add_profile',
  (req, res, next) => {
    if (Number(req.headers['content-length']) > MAX_REQUEST) return refuse(req, res, 413, 'Request too large');
    return next();
  },
  upload.fields([
    { name: 'profile_page', maxCount: 1 },
    { name: 'profile_photo', maxCount: 1 },
  ]),
  async (req, res) => {
    const username = formValue(req, 'username');
    const page = formValue(req, 'profile_page');
    const photo = formValue(req, 'profile_photo');
    if (page && page.length > MAX_PAGE) return sendText(res, 413, 'Profile page or photo too large');
    const name = username ? username.toString('utf8') : '';
    if (!VALID_USERNAME.test(name) || !page || page.length === 0 || !photo || !photo.subarray(0, 8).equals(PNG_MAGIC)) {
      return sendText(res, 400, 'Invalid input');
    }
    try {
      const row = await get('SELECT COUNT(*) AS n FROM profiles WHERE username = ?', [name]);
      if (row.n > 0) return sendText(res, 403, 'Profile already exists, creation forbidden');
      await run('INSERT INTO profiles (username, page, photo) VALUES (?, ?, ?)', [name, page.toString('utf8'), photo]);
      return sendText(res, 201, 'Profile created successfully');
    } catch (err) {
      if (err.code === 'SQLITE_CONSTRAINT') return sendText(res, 403, 'Profile already exists, creation forbidden');
      return sendText(res, 500, 'Internal error');
    }
  },
);

app.get('/profile/:username', async (req, res) => {
  let row;
  try {
    row = await get('SELECT page FROM profiles WHERE username = ?', [req.params.username]);
  } catch (err) {
    return sendText(res, 500, 'Internal error');
  }
  if (!row) return sendText(res, 404, 'Profile not found');
  // User-supplied markup is never served as markup: it is shown escaped, and scripts are forbidden.
  res.set({
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'X-Content-Type-Options': 'nosniff',
  });
  return res
    .status(200)
    .type('html')
    .send(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre>${escapeHTML(row.page)}</pre></body></html>`);
});

app.get('/profile-photo/:username', async (req, res) => {
  let row;
  try {
    row = await get('SELECT photo FROM profiles WHERE username = ?', [req.params.username]);
  } catch (err) {
    return sendText(res, 500, 'Internal error');
  }
  if (!row || !row.photo || row.photo.length === 0) return sendText(res, 404, 'Profile photo not found');
  res.status(200).set({ 'Content-Type': 'image/png', 'X-Content-Type-Options': 'nosniff' });
  return res.end(row.photo);
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE') return refuse(req, res, 413, 'Profile page or photo too large');
    return refuse(req, res, 400, 'Invalid input');
  }
  if (err.status >= 400 && err.status < 500) return sendText(res, 400, 'Invalid input');
  return sendText(res, 500, 'Internal error');
});

run('CREATE TABLE IF NOT EXISTS profiles (username TEXT PRIMARY KEY, page TEXT NOT NULL, photo BLOB NOT NULL)', [])
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
