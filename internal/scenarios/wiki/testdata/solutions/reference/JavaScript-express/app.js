'use strict';

const express = require('express');
const sqlite3 = require('sqlite3');
const { v4: uuidv4 } = require('uuid');

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

function all(sql, params) {
  return new Promise((resolve, reject) => {
    db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows)));
  });
}

function exec(sql) {
  return new Promise((resolve, reject) => {
    db.exec(sql, (err) => (err ? reject(err) : resolve()));
  });
}

// Every user-supplied text is escaped before it becomes part of a page.
function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]);
}

function fail(res, status, message) {
  return res.status(status).json({ error: message });
}

function sendPage(res, html) {
  res.set({ 'Content-Security-Policy': "default-src 'self'; script-src 'none'", 'X-Content-Type-Options': 'nosniff' });
  return res.status(200).type('html').send(html);
}

function present(v) {
  return typeof v === 'string' && v.trim() !== '';
}

// lineDiff compares two texts line by line (longest common subsequence).
function lineDiff(before, after) {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  const lcs = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i] });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push({ op: '+', text: b[j] });
      j++;
    } else {
      out.push({ op: '-', text: a[i] });
      i++;
    }
  }
  return out;
}

function findEntry(id) {
  return get('SELECT id, title, content, last_modified_by, last_modified_at FROM entries WHERE id = ?', [id]);
}

function toJSON(e) {
  return { id: e.id, title: e.title, content: e.content, lastModifiedBy: e.last_modified_by, lastModifiedAt: e.last_modified_at };
}

const app = express();
app.use(express.json({ limit: '1mb' }));

app.get('/entries', async (req, res) => {
  let rows;
  try {
    rows = await all('SELECT id, title FROM entries ORDER BY created_at, title', []);
  } catch (err) {
    return fail(res, 500, 'internal error');
  }
  const items = rows.length
    ? rows.map((e) => `<li><a href="/entries/${encodeURIComponent(e.id)}">${escapeHTML(e.title)}</a></li>\n`).join('')
    : '<li>No entries yet.</li>\n';
  return sendPage(res, `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Wiki</title></head><body>
<h1>Wiki entries</h1>
<ul>${items}</ul>
</body></html>
`);
});

app.post('/entries', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || !present(body.title) || typeof body.content !== 'string' || !present(body.createdBy)) {
    return fail(res, 400, 'title, content and createdBy are required');
  }
  const e = { id: uuidv4(), title: body.title, content: body.content, last_modified_by: body.createdBy, last_modified_at: new Date().toISOString() };
  try {
    await run(
      `INSERT INTO entries (id, title, content, created_by, created_at, last_modified_by, last_modified_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [e.id, e.title, e.content, e.last_modified_by, e.last_modified_at, e.last_modified_by, e.last_modified_at],
    );
  } catch (err) {
    return fail(res, 500, 'internal error');
  }
  return res.status(201).json(toJSON(e));
});

app.get('/entries/:id', async (req, res) => {
  let e;
  let rows;
  try {
    e = await findEntry(req.params.id);
    if (!e) return fail(res, 404, 'entry not found');
    rows = await all(
      `SELECT who FROM (
         SELECT created_by AS who, 0 AS seq FROM entries WHERE id = ?
         UNION ALL SELECT modified_by, seq FROM edits WHERE entry_id = ?) ORDER BY seq`,
      [e.id, e.id],
    );
  } catch (err) {
    return fail(res, 500, 'internal error');
  }
  const contributors = [...new Set(rows.map((r) => r.who))];
  return sendPage(res, `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escapeHTML(e.title)}</title></head><body>
<h1>${escapeHTML(e.title)}</h1>
<div class="content"><pre>${escapeHTML(e.content)}</pre></div>
<p>Last edited ${escapeHTML(e.last_modified_at)} by ${escapeHTML(e.last_modified_by)}</p>
<h2>Contributors</h2>
<ul>${contributors.map((c) => `<li>${escapeHTML(c)}</li>\n`).join('')}</ul>
<p><a href="/entries/${encodeURIComponent(e.id)}/edits">Edit history</a> | <a href="/entries">All entries</a></p>
</body></html>
`);
});

app.put('/entries/:id', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.content !== 'string' || !present(body.modifiedBy) || typeof body.summary !== 'string') {
    return fail(res, 400, 'content, modifiedBy and summary are required');
  }
  try {
    const e = await findEntry(req.params.id);
    if (!e) return fail(res, 404, 'entry not found');
    const at = new Date().toISOString();
    await run('BEGIN IMMEDIATE', []);
    try {
      await run(
        'INSERT INTO edits (entry_id, old_content, new_content, modified_by, summary, modified_at) VALUES (?, ?, ?, ?, ?, ?)',
        [e.id, e.content, body.content, body.modifiedBy, body.summary, at],
      );
      await run('UPDATE entries SET content = ?, last_modified_by = ?, last_modified_at = ? WHERE id = ?', [body.content, body.modifiedBy, at, e.id]);
      await run('COMMIT', []);
    } catch (err) {
      await run('ROLLBACK', []).catch(() => {});
      throw err;
    }
    return res.status(200).json(toJSON({ ...e, content: body.content, last_modified_by: body.modifiedBy, last_modified_at: at }));
  } catch (err) {
    return fail(res, 500, 'internal error');
  }
});

app.get('/entries/:id/edits', async (req, res) => {
  let e;
  let rows;
  try {
    e = await findEntry(req.params.id);
    if (!e) return fail(res, 404, 'entry not found');
    rows = await all(
      'SELECT old_content, new_content, modified_by, summary, modified_at FROM edits WHERE entry_id = ? ORDER BY seq',
      [e.id],
    );
  } catch (err) {
    return fail(res, 500, 'internal error');
  }
  const edits = rows.length
    ? rows
        .map((ed) => {
          const diff = lineDiff(ed.old_content, ed.new_content)
            .map((d) => `${d.op} ${escapeHTML(d.text)}\n`)
            .join('');
          return `<div class="edit">
<p><strong>${escapeHTML(ed.summary)}</strong> by ${escapeHTML(ed.modified_by)} on ${escapeHTML(ed.modified_at)}</p>
<pre>${diff}</pre>
</div>
`;
        })
        .join('')
    : '<p>This entry has not been edited yet.</p>\n';
  return sendPage(res, `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>History of ${escapeHTML(e.title)}</title></head><body>
<h1>History of ${escapeHTML(e.title)}</h1>
${edits}<p><a href="/entries/${encodeURIComponent(e.id)}">Back to the entry</a></p>
</body></html>
`);
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return fail(res, 400, 'invalid request');
  return fail(res, 500, 'internal error');
});

exec(`
  CREATE TABLE IF NOT EXISTS entries (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_modified_by TEXT NOT NULL,
    last_modified_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS edits (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id TEXT NOT NULL REFERENCES entries(id),
    old_content TEXT NOT NULL,
    new_content TEXT NOT NULL,
    modified_by TEXT NOT NULL,
    summary TEXT NOT NULL,
    modified_at TEXT NOT NULL
  );`)
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
