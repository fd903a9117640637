import { BadRequestException, Injectable, OnModuleInit, UnauthorizedException } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { randomBytes } from 'crypto';
import csvParser = require('csv-parser');
import * as jwt from 'jsonwebtoken';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';
import { Readable } from 'stream';
import { v4 as uuidv4 } from 'uuid';

export const AUTH_COOKIE = 'AUTH_COOKIE';
if (!process.env.APP_SECRET) console.warn('APP_SECRET is not set: using a random key');
const SECRET = process.env.APP_SECRET || randomBytes(32).toString('hex');
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const MAX_WARES = 10000;
const MAX_FIELD = 1000;

interface Ware {
  name: string;
  description: string;
  price: number;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);
// showPrice writes whole prices with one decimal (1.0), others as they are (0.25).
const showPrice = (p: number) => (Number.isInteger(p) ? p.toFixed(1) : String(p));

// parseCsv reads rows of name, description, price (no header row) with csv-parser.
function parseCsv(text: string): Promise<Ware[]> {
  return new Promise((resolve, reject) => {
    const wares: Ware[] = [];
    const fail = (msg: string) => reject(new BadRequestException({ error: `Invalid CSV: ${msg}` }));
    Readable.from([text])
      .pipe(csvParser({ headers: ['name', 'description', 'price'], strict: true }))
      .on('data', (row: Record<string, string>) => {
        const name = (row.name || '').trim();
        const description = (row.description || '').trim();
        const priceText = (row.price || '').trim();
        const price = Number(priceText);
        if (name === '' || name.length > MAX_FIELD || description.length > MAX_FIELD) return fail('bad name or description');
        if (priceText === '' || !Number.isFinite(price) || price < 0) return fail(`bad price for ${name}`);
        if (wares.length >= MAX_WARES) return fail('too many rows');
        wares.push({ name, description, price });
      })
      .on('error', (err: Error) => fail(err.message))
      .on('end', () => resolve(wares));
  });
}

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;
  // Writes run one after another: an upload's transaction on the one connection must not take in
  // another request's statements.
  private writes: Promise<unknown> = Promise.resolve();

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.writes.then(step, step);
    this.writes = run.catch(() => undefined);
    return run;
  }

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec(`
      CREATE TABLE IF NOT EXISTS merchants (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        email TEXT UNIQUE NOT NULL,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS wares (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        merchant_id INTEGER NOT NULL REFERENCES merchants(id),
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        price REAL NOT NULL
      );`);
  }

  async register(body: any): Promise<void> {
    const invalid = new BadRequestException({ error: 'Invalid input' });
    if (!body || typeof body.email !== 'string' || typeof body.name !== 'string' || typeof body.password !== 'string') {
      throw invalid;
    }
    const email = body.email.trim().toLowerCase();
    if (!EMAIL_RE.test(email) || body.name.trim() === '' || body.password === '') throw invalid;
    const hash = await bcrypt.hash(body.password, 10);
    try {
      await this.serial(() =>
        this.db.run('INSERT INTO merchants (email, name, password_hash) VALUES (?, ?, ?)', [email, body.name.trim(), hash]),
      );
    } catch {
      throw invalid;
    }
  }

  // login returns a signed session token unique to this login.
  async login(body: any): Promise<string> {
    const invalid = new UnauthorizedException({ error: 'Invalid email or password' });
    if (!body || typeof body.email !== 'string' || typeof body.password !== 'string') throw invalid;
    const row = await this.db.get('SELECT id, password_hash FROM merchants WHERE email = ?', [body.email.trim().toLowerCase()]);
    if (!row || !(await bcrypt.compare(body.password, row.password_hash))) throw invalid;
    return jwt.sign({ sub: String(row.id), jti: uuidv4() }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });
  }

  verify(token: string): number | null {
    try {
      const claims = jwt.verify(token, SECRET, { algorithms: ['HS256'] });
      if (typeof claims !== 'object' || typeof claims.sub !== 'string' || !/^\d+$/.test(claims.sub)) return null;
      return Number(claims.sub);
    } catch {
      return null;
    }
  }

  async uploadWares(merchantId: number, csv: string): Promise<number> {
    const wares = await parseCsv(csv);
    if (wares.length === 0) throw new BadRequestException({ error: 'Invalid CSV: no wares' });
    await this.serial(async () => {
      await this.db.exec('BEGIN IMMEDIATE');
      try {
        for (const w of wares) {
          await this.db.run('INSERT INTO wares (merchant_id, name, description, price) VALUES (?, ?, ?, ?)', [
            merchantId,
            w.name,
            w.description,
            w.price,
          ]);
        }
        await this.db.exec('COMMIT');
      } catch (err) {
        await this.db.exec('ROLLBACK');
        throw err;
      }
    });
    return wares.length;
  }

  // waresPage lists the wares within the price range as an HTML table, every value escaped.
  async waresPage(min: number | null, max: number | null): Promise<string> {
    const rows = await this.db.all(
      `SELECT w.name, w.description, w.price, m.email FROM wares w JOIN merchants m ON m.id = w.merchant_id
       WHERE (? IS NULL OR w.price >= ?) AND (? IS NULL OR w.price <= ?) ORDER BY w.id`,
      [min, min, max, max],
    );
    const body = rows
      .map(
        (r) =>
          `<tr><td>${esc(r.name)}</td><td>${esc(showPrice(r.price))}</td><td>${esc(r.description)}</td><td>${esc(r.email)}</td></tr>`,
      )
      .join('\n');
    return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Wares</title></head><body>
<h1>Wares</h1>
<table>
<tr><th>Name</th><th>Price</th><th>Description</th><th>Merchant</th></tr>
${body}
</table>
</body></html>
`;
  }
}
