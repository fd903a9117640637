import { Injectable, OnModuleInit } from '@nestjs/common';
import { createHmac, randomBytes } from 'crypto';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';

export interface ServiceStatus {
  serviceId: string;
  lastNotification: string;
}

if (!process.env.APP_SECRET) console.warn('APP_SECRET is not set: using a random key, tokens will not survive a restart');
const KEY = process.env.APP_SECRET || randomBytes(32).toString('hex');

// tokenDigest is a keyed hash of a token: tokens are never stored, and the stored value cannot be
// checked against guesses without the server's secret.
function tokenDigest(token: string): string {
  return createHmac('sha256', KEY).update(token, 'utf8').digest('hex');
}

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec(`CREATE TABLE IF NOT EXISTS services (
      service_id TEXT NOT NULL,
      token_digest TEXT NOT NULL,
      last_notification TEXT NOT NULL,
      PRIMARY KEY (service_id, token_digest)
    )`);
  }

  async heartbeat(serviceId: string, token: string): Promise<void> {
    await this.db.run(
      `INSERT INTO services (service_id, token_digest, last_notification) VALUES (?, ?, ?)
       ON CONFLICT(service_id, token_digest) DO UPDATE SET last_notification = excluded.last_notification`,
      [serviceId, tokenDigest(token), new Date().toISOString()],
    );
  }

  async services(token: string): Promise<ServiceStatus[]> {
    return this.db.all(
      `SELECT service_id AS serviceId, last_notification AS lastNotification FROM services
       WHERE token_digest = ? ORDER BY service_id`,
      [tokenDigest(token)],
    );
  }
}
