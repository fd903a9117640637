import { Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';

export interface Recipe {
  id: string;
  title: string;
  ingredients: string[];
  instructions: string;
  comments: { comment: string }[];
  avgRating: number | null;
}

const LIST_LIMIT = 20;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// esc HTML-escapes every user-supplied value placed in a page.
const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);
const rating = (avg: number) => avg.toFixed(1);

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body>
${body}
</body></html>
`;
}

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec(`
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
      );`);
  }

  async requireRecipe(id: string): Promise<void> {
    if (!(await this.db.get('SELECT 1 AS found FROM recipes WHERE id = ?', [id]))) {
      throw new NotFoundException({ error: 'Recipe not found' });
    }
  }

  async create(title: string, ingredients: string[], instructions: string): Promise<Recipe> {
    const id = randomUUID();
    await this.db.run('INSERT INTO recipes (id, title, ingredients, instructions) VALUES (?, ?, ?, ?)', [
      id,
      title,
      JSON.stringify(ingredients),
      instructions,
    ]);
    return { id, title, ingredients, instructions, comments: [], avgRating: null };
  }

  async addComment(id: string, comment: string): Promise<void> {
    await this.db.run('INSERT INTO comments (recipe_id, comment) VALUES (?, ?)', [id, comment]);
  }

  async addRating(id: string, value: number): Promise<void> {
    await this.db.run('INSERT INTO ratings (recipe_id, rating) VALUES (?, ?)', [id, value]);
  }

  async overviewPage(): Promise<string> {
    const sel = 'SELECT r.id, r.title, (SELECT AVG(rating) FROM ratings WHERE recipe_id = r.id) AS avg FROM recipes r ';
    const recent = await this.db.all(sel + 'ORDER BY r.seq DESC LIMIT ?', [LIST_LIMIT]);
    const top = await this.db.all(sel + 'WHERE avg IS NOT NULL ORDER BY avg DESC, r.seq ASC LIMIT ?', [LIST_LIMIT]);
    const link = (r: any) => `<a href="/recipes/${encodeURIComponent(r.id)}">${esc(r.title)}</a>`;
    const recentItems = recent.length ? recent.map((r) => `<li>${link(r)}</li>`).join('') : '<li>No recipes yet.</li>';
    const topItems = top.length
      ? top.map((r) => `<li>${link(r)} (${rating(r.avg)} stars)</li>`).join('')
      : '<li>No ratings yet.</li>';
    return page(
      'Recipes',
      `<h1>Recipes</h1>
<h2>Recent recipes</h2>
<ul>${recentItems}</ul>
<h2>Top-rated recipes</h2>
<ul>${topItems}</ul>`,
    );
  }

  async recipePage(id: string): Promise<string> {
    const r = await this.db.get('SELECT id, title, ingredients, instructions FROM recipes WHERE id = ?', [id]);
    if (!r) throw new NotFoundException('Recipe not found');
    const ingredients: string[] = JSON.parse(r.ingredients);
    const comments = await this.db.all('SELECT comment FROM comments WHERE recipe_id = ? ORDER BY seq', [id]);
    const stats = await this.db.get('SELECT AVG(rating) AS avg, COUNT(*) AS n FROM ratings WHERE recipe_id = ?', [id]);
    const ratingText =
      stats.avg === null ? 'Not rated yet.' : `Average rating: ${rating(stats.avg)} (${stats.n} ratings)`;
    return page(
      r.title,
      `<p><a href="/recipes">All recipes</a></p>
<h1>${esc(r.title)}</h1>
<h2>Ingredients</h2>
<ul>${ingredients.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>
<h2>Instructions</h2>
<p>${esc(r.instructions)}</p>
<h2>Rating</h2>
<p>${ratingText}</p>
<h2>Comments</h2>
<ul>${comments.length ? comments.map((c) => `<li>${esc(c.comment)}</li>`).join('') : '<li>No comments yet.</li>'}</ul>`,
    );
  }
}
