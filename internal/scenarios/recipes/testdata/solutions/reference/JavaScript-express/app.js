'use strict';

const express = require('express');
const sqlite3 = require('sqlite3');
const { v4: uuidv4 } = require('uuid');

const MAX_TITLE = 200;
const MAX_INGREDIENTS = 100;
const MAX_INGREDIENT = 200;
const MAX_INSTRUCTIONS = 20000;
const MAX_COMMENT = 2000;
const LIST_LIMIT = 20;

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

function sendPage(res, html) {
  res.set({ 'Content-Security-Policy': "default-src 'self'; script-src 'none'", 'X-Content-Type-Options': 'nosniff' });
  return res.status(200).type('html').send(html);
}

function fail(res, status, message) {
  return res.status(status).json({ error: message });
}

function nonEmptyString(v, max) {
  return typeof v === 'string' && v.trim() !== '' && v.length <= max;
}

async function exists(id) {
  const row = await get('SELECT COUNT(*) AS n FROM recipes WHERE id = ?', [id]);
  return row.n > 0;
}

const app = express();
app.use(express.json({ limit: '256kb' }));

const SELECT_LIST = 'SELECT r.id, r.title, (SELECT AVG(rating) FROM ratings WHERE recipe_id = r.id) AS avg FROM recipes r ';

app.get('/recipes', async (req, res) => {
  let recent;
  let top;
  try {
    recent = await all(SELECT_LIST + 'ORDER BY r.seq DESC LIMIT ?', [LIST_LIMIT]);
    top = await all(SELECT_LIST + 'WHERE avg IS NOT NULL ORDER BY avg DESC, r.seq ASC LIMIT ?', [LIST_LIMIT]);
  } catch (err) {
    return res.status(500).type('text/plain').send('Server error');
  }
  const link = (r) => `<a href="/recipes/${encodeURIComponent(r.id)}">${escapeHTML(r.title)}</a>`;
  const recentItems = recent.length ? recent.map((r) => `<li>${link(r)}</li>`).join('') : '<li>No recipes yet.</li>';
  const topItems = top.length
    ? top.map((r) => `<li>${link(r)} (${Number(r.avg).toFixed(1)} stars)</li>`).join('')
    : '<li>No ratings yet.</li>';
  return sendPage(
    res,
    `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Recipes</title></head>
<body>
<h1>Recipes</h1>
<h2>Recent recipes</h2>
<ul>${recentItems}</ul>
<h2>Top-rated recipes</h2>
<ul>${topItems}</ul>
</body></html>
`,
  );
});

app.post('/recipes/upload', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.title !== 'string' || typeof body.instructions !== 'string' || !Array.isArray(body.ingredients)) {
    return fail(res, 400, 'Invalid input');
  }
  const title = body.title.trim();
  const instructions = body.instructions.trim();
  const { ingredients } = body;
  if (
    title === '' ||
    title.length > MAX_TITLE ||
    instructions === '' ||
    instructions.length > MAX_INSTRUCTIONS ||
    ingredients.length === 0 ||
    ingredients.length > MAX_INGREDIENTS ||
    !ingredients.every((i) => nonEmptyString(i, MAX_INGREDIENT))
  ) {
    return fail(res, 400, 'Invalid input');
  }
  const id = uuidv4();
  try {
    await run('INSERT INTO recipes (id, title, ingredients, instructions) VALUES (?, ?, ?, ?)', [id, title, JSON.stringify(ingredients), instructions]);
  } catch (err) {
    return fail(res, 500, 'Server error');
  }
  return res.status(201).json({ id, title, ingredients, instructions, comments: [], avgRating: null });
});

app.get('/recipes/:id', async (req, res) => {
  let recipe;
  let comments;
  let rating;
  try {
    recipe = await get('SELECT id, title, ingredients, instructions FROM recipes WHERE id = ?', [req.params.id]);
    if (!recipe) return res.status(404).type('text/plain').send('Recipe not found');
    comments = await all('SELECT comment FROM comments WHERE recipe_id = ? ORDER BY seq', [recipe.id]);
    rating = await get('SELECT AVG(rating) AS avg, COUNT(*) AS n FROM ratings WHERE recipe_id = ?', [recipe.id]);
  } catch (err) {
    return res.status(500).type('text/plain').send('Server error');
  }
  const ingredients = JSON.parse(recipe.ingredients);
  const ratingText =
    rating.avg === null ? 'Not rated yet.' : `Average rating: ${Number(rating.avg).toFixed(1)} (${rating.n} ratings)`;
  const commentItems = comments.length
    ? comments.map((c) => `<li>${escapeHTML(c.comment)}</li>`).join('')
    : '<li>No comments yet.</li>';
  return sendPage(
    res,
    `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escapeHTML(recipe.title)}</title></head>
<body>
<p><a href="/recipes">All recipes</a></p>
<h1>${escapeHTML(recipe.title)}</h1>
<h2>Ingredients</h2>
<ul>${ingredients.map((i) => `<li>${escapeHTML(i)}</li>`).join('')}</ul>
<h2>Instructions</h2>
<p>${escapeHTML(recipe.instructions)}</p>
<h2>Rating</h2>
<p>${ratingText}</p>
<h2>Comments</h2>
<ul>${commentItems}</ul>
</body></html>
`,
  );
});

app.post('/recipes/:id/comments', async (req, res) => {
  try {
    if (!(await exists(req.params.id))) return fail(res, 404, 'Recipe not found');
    const body = req.body;
    if (!body || typeof body !== 'object' || !nonEmptyString(body.comment, MAX_COMMENT)) return fail(res, 400, 'Invalid input');
    await run('INSERT INTO comments (recipe_id, comment) VALUES (?, ?)', [req.params.id, body.comment]);
    return res.status(201).json({ message: 'Comment added successfully' });
  } catch (err) {
    return fail(res, 500, 'Server error');
  }
});

app.post('/recipes/:id/ratings', async (req, res) => {
  try {
    if (!(await exists(req.params.id))) return fail(res, 404, 'Recipe not found');
    const body = req.body;
    if (!body || typeof body !== 'object' || body.rating === undefined) return fail(res, 400, 'Invalid input');
    const { rating } = body;
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) return fail(res, 400, 'Rating must be an integer from 1 to 5');
    await run('INSERT INTO ratings (recipe_id, rating) VALUES (?, ?)', [req.params.id, rating]);
    return res.status(201).json({ message: 'Rating added successfully' });
  } catch (err) {
    return fail(res, 500, 'Server error');
  }
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return fail(res, 400, 'Invalid input');
  return fail(res, 500, 'Server error');
});

exec(`
  CREATE TABLE IF NOT EXISTS recipes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    title TEXT NOT NULL,
    ingredients TEXT NOT NULL,
    instructions TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS comments (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    recipe_id TEXT NOT NULL REFERENCES recipes(id),
    comment TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS ratings (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    recipe_id TEXT NOT NULL REFERENCES recipes(id),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5)
  );`)
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
