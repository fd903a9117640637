import { Injectable, OnModuleInit } from '@nestjs/common';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec(`CREATE TABLE IF NOT EXISTS messages (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      content TEXT NOT NULL,
      username TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    )`);
  }

  async post(content: string, username: string): Promise<void> {
    await this.db.run('INSERT INTO messages (content, username) VALUES (?, ?)', [content, username]);
  }

  // render lists the messages as HTML, every stored value escaped. The order is one of two constants
  // chosen by the controller; limit and offset go in as parameters.
  async render(limit: number, offset: number, order: 'ASC' | 'DESC'): Promise<string> {
    const direction = order === 'ASC' ? 'ASC' : 'DESC';
    const rows = await this.db.all(
      `SELECT username, content, created_at FROM messages ORDER BY id ${direction} LIMIT ? OFFSET ?`,
      [limit, offset],
    );
    const items = rows
      .map(
        (r) =>
          `<li><strong>${escapeHtml(r.username)}</strong> <em>${escapeHtml(r.created_at)}</em><p>${escapeHtml(r.content)}</p></li>`,
      )
      .join('\n');
    return `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>MyForum</title></head>
<body>
<h1>Messages</h1>
<ul>
${items}
</ul>
</body>
</html>
`;
  }
}
