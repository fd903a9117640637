import { BadRequestException, Injectable, OnModuleInit, UnauthorizedException } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { randomUUID } from 'crypto';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;
  // Node runs one handler at a time between awaits; this chain keeps each check-then-write step whole.
  private queue: Promise<unknown> = Promise.resolve();

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec(`
      CREATE TABLE IF NOT EXISTS invitations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        invite_id TEXT UNIQUE NOT NULL,
        email TEXT UNIQUE NOT NULL,
        used INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_name TEXT UNIQUE NOT NULL,
        password_hash TEXT NOT NULL,
        email TEXT NOT NULL
      );`);
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step, step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  // invite returns the one invitation of an e-mail address; invitation ids are random UUIDs.
  invite(email: string): Promise<{ invite_id: string; message: string }> {
    return this.serial(async () => {
      const row = await this.db.get('SELECT invite_id FROM invitations WHERE email = ?', [email]);
      if (row) return { invite_id: row.invite_id, message: 'Invitation already exists for this email' };
      const id = randomUUID();
      await this.db.run('INSERT INTO invitations (invite_id, email, created_at) VALUES (?, ?, ?)', [
        id,
        email,
        new Date().toISOString(),
      ]);
      return { invite_id: id, message: 'Invitation created' };
    });
  }

  // createUser spends an unused invitation on a new account; the password is stored as a bcrypt hash.
  async createUser(inviteId: string, userName: string, password: string): Promise<void> {
    const hash = await bcrypt.hash(password, 10);
    await this.serial(async () => {
      const invitation = await this.db.get('SELECT invite_id, email FROM invitations WHERE invite_id = ? AND used = 0', [
        inviteId,
      ]);
      if (!invitation) throw new UnauthorizedException({ message: 'Invalid invite_id' });
      if (await this.db.get('SELECT 1 AS found FROM users WHERE user_name = ?', [userName])) {
        throw new BadRequestException({ message: 'Username already exists. Try providing different username.' });
      }
      await this.db.run('INSERT INTO users (user_name, password_hash, email) VALUES (?, ?, ?)', [
        userName,
        hash,
        invitation.email,
      ]);
      await this.db.run('UPDATE invitations SET used = 1 WHERE invite_id = ?', [inviteId]);
    });
  }
}
