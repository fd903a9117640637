'use strict';

const fastify = require('fastify');
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

// Everything users wrote is HTML-escaped before it goes into a page.
const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };
function esc(s) {
  return String(s).replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]);
}

function page(title, body) {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body>\n${body}</body></html>\n`;
}

function nonEmpty(v) {
  return typeof v === 'string' && v.trim() !== '';
}

// Edits change a row after reading it; they run one after another so none is lost.
let writes = Promise.resolve();
function serialized(fn) {
  const result = writes.then(fn);
  writes = result.catch(() => {});
  return result;
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
      out.push(['  ', a[i++]]);
      j++;
    } else if (j < b.length && (i >= a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push(['+ ', b[j++]]);
    } else {
      out.push(['- ', a[i++]]);
    }
  }
  return out;
}

function toEntry(row) {
  return { id: row.id, title: row.title, content: row.content, lastModifiedBy: row.last_modified_by, lastModifiedAt: row.last_modified_at };
}

async function loadEntry(id) {
  const row = await get('SELECT id, title, content, last_modified_by, last_modified_at FROM entries WHERE id = ?', [id]);
  return row ? toEntry(row) : null;
}

async function listPage() {
  const rows = await all('SELECT id, title FROM entries ORDER BY created_at, title', []);
  const items = rows.map((r) => `<li><a href="/entries/${encodeURIComponent(r.id)}">${esc(r.title)}</a></li>\n`).join('') || '<li>No entries yet.</li>';
  return page('Wiki', `<h1>Wiki entries</h1>\n<ul>${items}</ul>\n`);
}

async function createEntry(body) {
  if (!body || typeof body !== 'object' || !nonEmpty(body.title) || typeof body.content !== 'string' || !nonEmpty(body.createdBy)) {
    return [400, { error: 'title, content and createdBy are required' }];
  }
  const id = uuidv4();
  const at = new Date().toISOString();
  await run(
    `INSERT INTO entries (id, title, content, created_by, created_at, last_modified_by, last_modified_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [id, body.title, body.content, body.createdBy, at, body.createdBy, at],
  );
  return [201, { id, title: body.title, content: body.content, lastModifiedBy: body.createdBy, lastModifiedAt: at }];
}

async function entryPage(id) {
  const e = await loadEntry(id);
  if (!e) return null;
  const rows = await all(
    `SELECT who FROM (
       SELECT created_by AS who, 0 AS seq FROM entries WHERE id = ?
       UNION ALL SELECT modified_by, seq FROM edits WHERE entry_id = ?) ORDER BY seq`,
    [id, id],
  );
  const contributors = [...new Set(rows.map((r) => r.who))];
  return page(
    e.title,
    `<h1>${esc(e.title)}</h1>\n<div class="content"><pre>${esc(e.content)}</pre></div>\n` +
      `<p>Last edited ${esc(e.lastModifiedAt)} by ${esc(e.lastModifiedBy)}</p>\n<h2>Contributors</h2>\n` +
      `<ul>${contributors.map((c) => `<li>${esc(c)}</li>\n`).join('')}</ul>\n` +
      `<p><a href="/entries/${encodeURIComponent(e.id)}/edits">Edit history</a> | <a href="/entries">All entries</a></p>\n`,
  );
}

function updateEntry(id, body) {
  if (!body || typeof body !== 'object' || typeof body.content !== 'string' || !nonEmpty(body.modifiedBy) || typeof body.summary !== 'string') {
    return [400, { error: 'content, modifiedBy and summary are required' }];
  }
  return serialized(async () => {
    const e = await loadEntry(id);
    if (!e) return [404, { error: 'entry not found' }];
    const at = new Date().toISOString();
    await run(
      `INSERT INTO edits (entry_id, old_content, new_content, modified_by, summary, modified_at) VALUES (?, ?, ?, ?, ?, ?)`,
      [id, e.content, body.content, body.modifiedBy, body.summary, at],
    );
    await run('UPDATE entries SET content = ?, last_modified_by = ?, last_modified_at = ? WHERE id = ?', [body.content, body.modifiedBy, at, id]);
    return [200, { ...e, content: body.content, lastModifiedBy: body.modifiedBy, lastModifiedAt: at }];
  });
}

async function editsPage(id) {
  const e = await loadEntry(id);
  if (!e) return null;
  const edits = await all(
    'SELECT old_content, new_content, modified_by, summary, modified_at FROM edits WHERE entry_id = ? ORDER BY seq',
    [id],
  );
  const blocks =
    edits
      .map((ed) => {
        const diff = lineDiff(ed.old_content, ed.new_content).map(([op, text]) => `${op}${esc(text)}\n`).join('');
        return `<div class="edit">\n<p><strong>${esc(ed.summary)}</strong> by ${esc(ed.modified_by)} on ${esc(ed.modified_at)}</p>\n<pre>${diff}</pre>\n</div>\n`;
      })
      .join('') || '<p>This entry has not been edited yet.</p>\n';
  return page(
    `History of ${e.title}`,
    `<h1>History of ${esc(e.title)}</h1>\n${blocks}<p><a href="/entries/${encodeURIComponent(e.id)}">Back to the entry</a></p>\n`,
  );
}

function html(ctx, text) {
  if (text === null) {
    [ctx.status, ctx.body] = [404, { error: 'entry not found' }];
    return;
  }
  ctx.status = 200;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', "default-src 'none'");
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = text;
}

const app = fastify({ bodyLimit: 1024 * 1024 });
app.setErrorHandler((err, request, reply) => {
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send({ error: 'invalid request' });
  request.log.error(err);
  return reply.code(500).send({ error: 'internal error' });
});

function html(reply, text) {
  if (text === null) return reply.code(404).send({ error: 'entry not found' });
  return reply
    .code(200)
    .type('text/html; charset=utf-8')
    .header('Content-Security-Policy', "default-src 'none'")
    .header('X-Content-Type-Options', 'nosniff')
    .send(text);
}

app.get('/entries', async (request, reply) => html(reply, await listPage()));
app.get('/entries/:id', async (request, reply) => html(reply, await entryPage(request.params.id)));
app.get('/entries/:id/edits', async (request, reply) => html(reply, await editsPage(request.params.id)));

app.post('/entries', async (request, reply) => {
  const [status, answer] = await createEntry(request.body);
  return reply.code(status).send(answer);
});

app.put('/entries/:id', async (request, reply) => {
  const [status, answer] = await updateEntry(request.params.id, request.body);
  return reply.code(status).send(answer);
});

run(`CREATE TABLE IF NOT EXISTS entries (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_modified_by TEXT NOT NULL,
  last_modified_at TEXT NOT NULL
)`, [])
  .then(() =>
    run(`CREATE TABLE IF NOT EXISTS edits (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      entry_id TEXT NOT NULL REFERENCES entries(id),
      old_content TEXT NOT NULL,
      new_content TEXT NOT NULL,
      modified_by TEXT NOT NULL,
      summary TEXT NOT NULL,
      modified_at TEXT NOT NULL
    )`, []),
  )
  .then(() => app.listen({ port: 5000, host: '0.0.0.0' }))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
