import { BadRequestException, Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec(`
      CREATE TABLE IF NOT EXISTS carts (id TEXT PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS cart_items (
        cart_id TEXT NOT NULL REFERENCES carts(id),
        item_id INTEGER NOT NULL,
        count INTEGER NOT NULL CHECK (count > 0),
        PRIMARY KEY (cart_id, item_id)
      );`);
  }

  // Cart identifiers are random UUIDs, so one cart cannot be found by guessing.
  async createCart(): Promise<string> {
    const id = randomUUID();
    await this.db.run('INSERT INTO carts (id) VALUES (?)', [id]);
    return id;
  }

  private async requireCart(id: string): Promise<void> {
    if (!(await this.db.get('SELECT 1 AS found FROM carts WHERE id = ?', [id]))) {
      throw new NotFoundException({ error: 'cart not found' });
    }
  }

  // add changes an item's count; a count can never go below zero, and an item at zero leaves the cart.
  async add(cart: string, item: number, delta: number): Promise<void> {
    await this.requireCart(cart);
    const row = await this.db.get('SELECT count FROM cart_items WHERE cart_id = ? AND item_id = ?', [cart, item]);
    const next = (row ? row.count : 0) + delta;
    if (next < 0) throw new BadRequestException({ error: 'cannot remove more items than the cart holds' });
    if (next === 0) {
      await this.db.run('DELETE FROM cart_items WHERE cart_id = ? AND item_id = ?', [cart, item]);
    } else {
      await this.db.run(
        `INSERT INTO cart_items (cart_id, item_id, count) VALUES (?, ?, ?)
         ON CONFLICT(cart_id, item_id) DO UPDATE SET count = excluded.count`,
        [cart, item, next],
      );
    }
  }

  async items(cart: string): Promise<{ item_id: number; count: number }[]> {
    await this.requireCart(cart);
    return this.db.all('SELECT item_id, count FROM cart_items WHERE cart_id = ? ORDER BY item_id', [cart]);
  }
}
