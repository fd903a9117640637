import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';
import * as bcrypt from 'bcrypt';
import * as jwt from 'jsonwebtoken';
import { v4 as uuidv4 } from 'uuid';

export type Answer = [number, Record<string, string>];

const SECRET = process.env.APP_SECRET || randomBytes(32).toString('hex');
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
export const INVALID_DATA = { message: 'Email already in use or invalid data' };
export const INVALID_LOGIN = { message: 'Invalid email or password' };

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec(`CREATE TABLE IF NOT EXISTS users (
      id TEXT PRIMARY KEY,
      email TEXT UNIQUE NOT NULL,
      password_hash TEXT NOT NULL,
      name TEXT
    )`);
  }

  async register(body: any): Promise<Answer> {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return [400, INVALID_DATA];
    const { email, password } = body;
    const name = body.name === undefined || body.name === null ? '' : body.name;
    if (typeof email !== 'string' || typeof password !== 'string' || typeof name !== 'string') {
      return [400, INVALID_DATA];
    }
    const cleanEmail = email.trim();
    if (!EMAIL_RE.test(cleanEmail) || cleanEmail.length > 254 || password.length === 0) {
      return [400, INVALID_DATA];
    }
    try {
      const id = uuidv4();
      const hash = await bcrypt.hash(password, 10);
      await this.db.run('INSERT INTO users (id, email, password_hash, name) VALUES (?, ?, ?, ?)', [
        id,
        cleanEmail,
        hash,
        name,
      ]);
      return [201, { message: 'Registration successful', userId: id }];
    } catch (err) {
      return [400, INVALID_DATA];
    }
  }

  async login(body: any): Promise<Answer> {
    if (!body || typeof body !== 'object' || typeof body.email !== 'string' || typeof body.password !== 'string') {
      return [401, INVALID_LOGIN];
    }
    const row = await this.db.get('SELECT id, password_hash FROM users WHERE email = ?', [body.email.trim()]);
    if (!row || !(await bcrypt.compare(body.password, row.password_hash))) return [401, INVALID_LOGIN];
    const token = jwt.sign({ sub: row.id, jti: uuidv4() }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });
    return [200, { token, message: 'Login successful' }];
  }
}
