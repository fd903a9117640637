import { BadRequestException, Injectable, NotFoundException, OnModuleInit, UnauthorizedException } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'crypto';
import * as jwt from 'jsonwebtoken';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';
import { v4 as uuidv4 } from 'uuid';

if (!process.env.APP_SECRET) console.warn('APP_SECRET is not set: using a random key, data will not survive a restart');
const SECRET = process.env.APP_SECRET || randomBytes(32).toString('hex');
// Secrets are stored encrypted (AES-256-GCM, bound to their owner) under a key derived from APP_SECRET.
const ENC_KEY = createHash('sha256').update('secret-storage encryption:' + SECRET).digest();
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const INVALID_DATA = { message: 'Email already in use or invalid data' };
const INVALID_LOGIN = { message: 'Invalid email or password' };

function seal(username: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ENC_KEY, iv);
  cipher.setAAD(Buffer.from(username, 'utf8'));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
}

function unseal(username: string, sealed: string): string {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', ENC_KEY, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(username, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec(`
      CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        email TEXT UNIQUE NOT NULL,
        username TEXT UNIQUE NOT NULL,
        password_hash TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS secrets (
        username TEXT PRIMARY KEY REFERENCES users(username),
        secret TEXT NOT NULL
      );`);
  }

  async register(body: any): Promise<void> {
    if (!body || typeof body.email !== 'string' || typeof body.username !== 'string' || typeof body.password !== 'string') {
      throw new BadRequestException(INVALID_DATA);
    }
    const email = body.email.trim();
    const username = body.username.trim();
    if (!EMAIL_RE.test(email) || email.length > 254 || username === '' || username.length > 100 || body.password === '') {
      throw new BadRequestException(INVALID_DATA);
    }
    const hash = await bcrypt.hash(body.password, 10);
    try {
      await this.db.run('INSERT INTO users (email, username, password_hash) VALUES (?, ?, ?)', [email, username, hash]);
    } catch {
      throw new BadRequestException(INVALID_DATA);
    }
  }

  async login(body: any): Promise<string> {
    if (!body || typeof body.email !== 'string' || typeof body.password !== 'string') {
      throw new UnauthorizedException(INVALID_LOGIN);
    }
    const row = await this.db.get('SELECT username, password_hash FROM users WHERE email = ?', [body.email.trim()]);
    if (!row || !(await bcrypt.compare(body.password, row.password_hash))) throw new UnauthorizedException(INVALID_LOGIN);
    return jwt.sign({ sub: row.username, jti: uuidv4() }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });
  }

  // verify returns the username a token was issued to, or null for an invalid or expired token.
  verify(token: string): string | null {
    try {
      const claims = jwt.verify(token, SECRET, { algorithms: ['HS256'] });
      return typeof claims === 'object' && typeof claims.sub === 'string' && typeof claims.exp === 'number'
        ? claims.sub
        : null;
    } catch {
      return null;
    }
  }

  async setSecret(username: string, secret: string): Promise<void> {
    await this.db.run(
      'INSERT INTO secrets (username, secret) VALUES (?, ?) ON CONFLICT(username) DO UPDATE SET secret = excluded.secret',
      [username, seal(username, secret)],
    );
  }

  async getSecret(username: string): Promise<string> {
    const row = await this.db.get('SELECT secret FROM secrets WHERE username = ?', [username]);
    if (!row) throw new NotFoundException({ message: 'No secret stored for this user' });
    return unseal(username, row.secret);
  }
}
