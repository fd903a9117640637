'use strict';

const Koa = require('koa');
const Router = require('koa-router');
const bodyParser = require('koa-bodyparser');
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

// Everything users wrote is HTML-escaped before it goes into a page.
const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };
function esc(s) {
  return String(s).replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]);
}

function page(title, body) {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${esc(title)}</title></head>\n<body>\n${body}</body></html>\n`;
}

function nonEmpty(v, max) {
  return typeof v === 'string' && v.trim() !== '' && v.length <= max;
}

async function overview() {
  const sel = 'SELECT r.id, r.title, (SELECT AVG(rating) FROM ratings WHERE recipe_id = r.id) AS avg FROM recipes r ';
  const recent = await all(`${sel}ORDER BY r.seq DESC LIMIT ?`, [LIST_LIMIT]);
  const top = await all(`${sel}WHERE avg IS NOT NULL ORDER BY avg DESC, r.seq ASC LIMIT ?`, [LIST_LIMIT]);
  const link = (r) => `<a href="/recipes/${encodeURIComponent(r.id)}">${esc(r.title)}</a>`;
  const recentItems = recent.map((r) => `<li>${link(r)}</li>`).join('') || '<li>No recipes yet.</li>';
  const topItems = top.map((r) => `<li>${link(r)} (${r.avg.toFixed(1)} stars)</li>`).join('') || '<li>No ratings yet.</li>';
  return page(
    'Recipes',
    `<h1>Recipes</h1>\n<h2>Recent recipes</h2>\n<ul>${recentItems}</ul>\n<h2>Top-rated recipes</h2>\n<ul>${topItems}</ul>\n`,
  );
}

async function upload(body) {
  if (!body || typeof body !== 'object') return [400, { error: 'Invalid input' }];
  const { ingredients } = body;
  if (
    !nonEmpty(body.title, MAX_TITLE) ||
    !nonEmpty(body.instructions, MAX_INSTRUCTIONS) ||
    !Array.isArray(ingredients) ||
    ingredients.length === 0 ||
    ingredients.length > MAX_INGREDIENTS ||
    !ingredients.every((i) => nonEmpty(i, MAX_INGREDIENT))
  ) {
    return [400, { error: 'Invalid input' }];
  }
  const recipe = {
    id: uuidv4(),
    title: body.title.trim(),
    ingredients,
    instructions: body.instructions.trim(),
    comments: [],
    avgRating: null,
  };
  await run('INSERT INTO recipes (id, title, ingredients, instructions) VALUES (?, ?, ?, ?)', [
    recipe.id,
    recipe.title,
    JSON.stringify(ingredients),
    recipe.instructions,
  ]);
  return [201, recipe];
}

async function show(id) {
  const r = await get('SELECT id, title, ingredients, instructions FROM recipes WHERE id = ?', [id]);
  if (!r) return null;
  const comments = await all('SELECT comment FROM comments WHERE recipe_id = ? ORDER BY seq', [id]);
  const rating = await get('SELECT AVG(rating) AS avg, COUNT(*) AS n FROM ratings WHERE recipe_id = ?', [id]);
  const ingredients = JSON.parse(r.ingredients).map((i) => `<li>${esc(i)}</li>`).join('');
  const commentItems = comments.map((c) => `<li>${esc(c.comment)}</li>`).join('') || '<li>No comments yet.</li>';
  const ratingText = rating.avg === null ? 'Not rated yet.' : `Average rating: ${rating.avg.toFixed(1)} (${rating.n} ratings)`;
  return page(
    r.title,
    `<p><a href="/recipes">All recipes</a></p>\n<h1>${esc(r.title)}</h1>\n<h2>Ingredients</h2>\n<ul>${ingredients}</ul>\n` +
      `<h2>Instructions</h2>\n<p>${esc(r.instructions)}</p>\n<h2>Rating</h2>\n<p>${ratingText}</p>\n` +
      `<h2>Comments</h2>\n<ul>${commentItems}</ul>\n`,
  );
}

async function exists(id) {
  return !!(await get('SELECT 1 FROM recipes WHERE id = ?', [id]));
}

async function addComment(id, body) {
  if (!(await exists(id))) return [404, { error: 'Recipe not found' }];
  if (!body || typeof body !== 'object' || !nonEmpty(body.comment, MAX_COMMENT)) return [400, { error: 'Invalid input' }];
  await run('INSERT INTO comments (recipe_id, comment) VALUES (?, ?)', [id, body.comment]);
  return [201, { message: 'Comment added successfully' }];
}

async function addRating(id, body) {
  if (!(await exists(id))) return [404, { error: 'Recipe not found' }];
  const rating = body && typeof body === 'object' ? body.rating : undefined;
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) return [400, { error: 'Rating must be an integer from 1 to 5' }];
  await run('INSERT INTO ratings (recipe_id, rating) VALUES (?, ?)', [id, rating]);
  return [201, { message: 'Rating added successfully' }];
}

function html(ctx, status, text) {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', "default-src 'self'; script-src 'none'");
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = text;
}

const router = new Router();

router.get('/recipes', async (ctx) => {
  html(ctx, 200, await overview());
});

router.post('/recipes/upload', async (ctx) => {
  [ctx.status, ctx.body] = await upload(ctx.request.body);
});

router.get('/recipes/:id', async (ctx) => {
  const text = await show(ctx.params.id);
  if (text === null) {
    ctx.status = 404;
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = 'Recipe not found\n';
    return;
  }
  html(ctx, 200, text);
});

router.post('/recipes/:id/comments', async (ctx) => {
  [ctx.status, ctx.body] = await addComment(ctx.params.id, ctx.request.body);
});

router.post('/recipes/:id/ratings', async (ctx) => {
  [ctx.status, ctx.body] = await addRating(ctx.params.id, ctx.request.body);
});

const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const client = err.status >= 400 && err.status < 500;
    ctx.status = client ? 400 : 500;
    ctx.body = { error: client ? 'Invalid input' : 'Server error' };
  }
});
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '256kb' }));
app.use(router.routes());
app.use(router.allowedMethods());

run(`CREATE TABLE IF NOT EXISTS recipes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT UNIQUE NOT NULL,
  title TEXT NOT NULL,
  ingredients TEXT NOT NULL,
  instructions TEXT NOT NULL
)`, [])
  .then(() =>
    run(`CREATE TABLE IF NOT EXISTS comments (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      recipe_id TEXT NOT NULL REFERENCES recipes(id),
      comment TEXT NOT NULL
    )`, []),
  )
  .then(() =>
    run(`CREATE TABLE IF NOT EXISTS ratings (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      recipe_id TEXT NOT NULL REFERENCES recipes(id),
      rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5)
    )`, []),
  )
  .then(() => app.listen(5000, '0.0.0.0'))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
