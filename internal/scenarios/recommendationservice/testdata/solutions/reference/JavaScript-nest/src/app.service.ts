import { Injectable, OnModuleInit } from '@nestjs/common';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec(`
      CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS product_tags (
        product_id INTEGER NOT NULL REFERENCES products(id),
        tag TEXT NOT NULL,
        PRIMARY KEY (product_id, tag)
      );`);
  }

  async add(name: string, tags: string[]): Promise<void> {
    const { lastID } = await this.db.run('INSERT INTO products (name) VALUES (?)', [name]);
    for (const tag of new Set(tags)) {
      await this.db.run('INSERT OR IGNORE INTO product_tags (product_id, tag) VALUES (?, ?)', [lastID, tag]);
    }
  }

  // page renders the products having at least one of the tags; tags are bound as parameters and every
  // stored value is HTML-escaped.
  async page(tags: string[]): Promise<string> {
    let rows: { name: string }[] = [];
    if (tags.length > 0) {
      rows = await this.db.all(
        `SELECT DISTINCT p.id, p.name FROM products p JOIN product_tags t ON t.product_id = p.id
         WHERE t.tag IN (${tags.map(() => '?').join(',')}) ORDER BY p.id`,
        tags,
      );
    }
    const items = rows.map((r) => `<li>${esc(r.name)}</li>`).join('\n');
    return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Recommendations</title></head><body>
<h1>Recommended products</h1>
${rows.length ? `<ul>\n${items}\n</ul>` : '<p>No products match these tags.</p>'}
</body></html>
`;
  }
}
