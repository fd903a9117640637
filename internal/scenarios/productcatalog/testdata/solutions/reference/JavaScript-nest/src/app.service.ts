import { BadRequestException, Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';

export type Product = Record<string, string>;

// parseProduct accepts a JSON object whose values are all strings and which has a non-empty name.
export function parseProduct(value: unknown): Product {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequestException({ error: 'invalid input: not a JSON object' });
  }
  const product: Product = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new BadRequestException({ error: `invalid input: property ${k} is not a string` });
    Object.defineProperty(product, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  if (typeof product.name !== 'string' || product.name.trim() === '') {
    throw new BadRequestException({ error: 'invalid input: name is required' });
  }
  return product;
}

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec('CREATE TABLE IF NOT EXISTS products (name TEXT PRIMARY KEY, data TEXT NOT NULL)');
  }

  async save(p: Product): Promise<void> {
    await this.db.run(
      'INSERT INTO products (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data',
      [p.name, JSON.stringify(p)],
    );
  }

  async download(name: string): Promise<string> {
    const row = await this.db.get('SELECT data FROM products WHERE name = ?', [name]);
    if (!row) throw new NotFoundException({ error: 'product not found' });
    return row.data;
  }

  async replace(p: Product): Promise<void> {
    const row = await this.db.get('SELECT 1 AS found FROM products WHERE name = ?', [p.name]);
    if (!row) throw new NotFoundException({ error: 'product not found' });
    await this.save(p);
  }

  // search matches the query (case-insensitively) against every property of every product; the query
  // never becomes part of SQL text.
  async search(query: string): Promise<Product[]> {
    const q = query.toLowerCase();
    const rows = await this.db.all('SELECT data FROM products ORDER BY rowid');
    const results: Product[] = [];
    for (const row of rows) {
      let p: Product;
      try {
        p = JSON.parse(row.data);
      } catch {
        continue;
      }
      if (Object.values(p).some((v) => typeof v === 'string' && v.toLowerCase().includes(q))) results.push(p);
    }
    return results;
  }
}
