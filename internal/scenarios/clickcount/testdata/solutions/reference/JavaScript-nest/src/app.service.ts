import { Injectable, OnModuleInit } from '@nestjs/common';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';
import { v4 as uuidv4 } from 'uuid';

export type Answer = [number, unknown];

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;
// The accepted directions; nothing else ever reaches the query text.
const OPERATORS: Record<string, string> = { '<': '<', '>': '>', '<=': '<=', '>=': '>=' };

// parseDay returns the UTC start of a YYYY-MM-DD day, or null when the text is not a real date.
function parseDay(text: unknown): number | null {
  const m = typeof text === 'string' ? DATE_RE.exec(text) : null;
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t;
}

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec('CREATE TABLE IF NOT EXISTS clicks (id TEXT PRIMARY KEY, timestamp TEXT NOT NULL)');
  }

  // addClick stores a click. ISO timestamps in UTC have a fixed width, so text order is time order.
  async addClick(): Promise<Answer> {
    const click = { id: uuidv4(), timestamp: new Date().toISOString() };
    await this.db.run('INSERT INTO clicks (id, timestamp) VALUES (?, ?)', [click.id, click.timestamp]);
    return [201, click];
  }

  // listClicks: a click on the given day counts as on the date: "<" means before the day starts, ">"
  // after it ends.
  async listClicks(date: unknown, direction: unknown): Promise<Answer> {
    const op =
      typeof direction === 'string' && Object.prototype.hasOwnProperty.call(OPERATORS, direction)
        ? OPERATORS[direction]
        : null;
    if (!op) return [400, { error: 'direction must be one of <, >, <=, >=' }];
    const day = parseDay(date);
    if (day === null) return [400, { error: 'date must look like 2022-01-01' }];
    const bound = op === '>' || op === '<=' ? day + DAY_MS - 1 : day;
    const rows = await this.db.all(`SELECT id, timestamp FROM clicks WHERE timestamp ${op} ? ORDER BY timestamp`, [
      new Date(bound).toISOString(),
    ]);
    if (rows.length === 0) return [404, { error: 'no clicks found' }];
    return [200, rows.map((r) => ({ id: r.id, timestamp: r.timestamp }))];
  }
}
