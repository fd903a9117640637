import { Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec(`CREATE TABLE IF NOT EXISTS associations (
      credit_card TEXT NOT NULL,
      phone TEXT NOT NULL,
      PRIMARY KEY (credit_card, phone)
    )`);
  }

  async associate(card: string, phone: string): Promise<void> {
    await this.db.run('INSERT OR IGNORE INTO associations (credit_card, phone) VALUES (?, ?)', [card, phone]);
  }

  // cardsOfAll returns the cards linked to every one of the phones (all values bound as parameters).
  async cardsOfAll(phones: string[]): Promise<string[]> {
    const distinct = [...new Set(phones)];
    const placeholders = distinct.map(() => '?').join(',');
    const rows = await this.db.all(
      `SELECT credit_card FROM associations WHERE phone IN (${placeholders})
       GROUP BY credit_card HAVING COUNT(DISTINCT phone) = ? ORDER BY credit_card`,
      [...distinct, distinct.length],
    );
    if (rows.length === 0) throw new NotFoundException({ error: 'no cards found' });
    return rows.map((r) => r.credit_card);
  }
}
