import { ForbiddenException, Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';

export const MAX_PAGE = 1024 * 1024; // HTML page
export const MAX_PHOTO = 6 * 1024 * 1024; // PNG picture

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c]);

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec(`CREATE TABLE IF NOT EXISTS profiles (
      username TEXT PRIMARY KEY,
      page TEXT NOT NULL,
      photo BLOB NOT NULL
    )`);
  }

  async create(username: string, page: string, photo: Buffer): Promise<void> {
    const forbidden = new ForbiddenException('Profile already exists, creation forbidden');
    if (await this.db.get('SELECT 1 AS found FROM profiles WHERE username = ?', [username])) throw forbidden;
    try {
      await this.db.run('INSERT INTO profiles (username, page, photo) VALUES (?, ?, ?)', [username, page, photo]);
    } catch {
      throw forbidden; // lost a race with the same username
    }
  }

  async page(username: string): Promise<string> {
    const row = await this.db.get('SELECT page FROM profiles WHERE username = ?', [username]);
    if (!row) throw new NotFoundException('Profile not found');
    return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre>${esc(row.page)}</pre></body></html>`;
  }

  async photo(username: string): Promise<Buffer> {
    const row = await this.db.get('SELECT photo FROM profiles WHERE username = ?', [username]);
    if (!row || !row.photo || row.photo.length === 0) throw new NotFoundException('Profile photo not found');
    return row.photo;
  }
}
