import { Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { open, Database } from 'sqlite';
import * as sqlite3 from 'sqlite3';

export interface Entry {
  id: string;
  title: string;
  content: string;
  lastModifiedBy: string;
  lastModifiedAt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS entries (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_modified_by TEXT NOT NULL,
  last_modified_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS edits (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entry_id TEXT NOT NULL REFERENCES entries(id),
  old_content TEXT NOT NULL,
  new_content TEXT NOT NULL,
  modified_by TEXT NOT NULL,
  summary TEXT NOT NULL,
  modified_at TEXT NOT NULL
);`;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// esc HTML-escapes every value placed in a page.
const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body>
${body}
</body></html>
`;
}

// lineDiff is a line-based diff (longest common subsequence) of two versions.
function lineDiff(before: string, after: string): string[] {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  if (a.length * b.length > 1_000_000) return [...a.map((l) => '- ' + l), ...b.map((l) => '+ ' + l)];
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push('  ' + a[i]);
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push('+ ' + b[j++]);
    } else {
      out.push('- ' + a[i++]);
    }
  }
  return out;
}

@Injectable()
export class AppService implements OnModuleInit {
  private db: Database;
  // Writes run one after another: an edit reads the current version before it records the change, and
  // the one connection's transaction must not interleave with another request's statements.
  private writes: Promise<unknown> = Promise.resolve();

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.writes.then(step, step);
    this.writes = run.catch(() => undefined);
    return run;
  }

  async onModuleInit() {
    this.db = await open({ filename: 'db.sqlite3', driver: sqlite3.Database });
    await this.db.exec('PRAGMA busy_timeout = 5000');
    await this.db.exec(SCHEMA);
  }

  private async find(id: string): Promise<Entry> {
    const row = await this.db.get(
      `SELECT id, title, content, last_modified_by AS lastModifiedBy, last_modified_at AS lastModifiedAt
       FROM entries WHERE id = ?`,
      [id],
    );
    if (!row) throw new NotFoundException({ error: 'entry not found' });
    return row as Entry;
  }

  async listPage(): Promise<string> {
    const rows = await this.db.all('SELECT id, title FROM entries ORDER BY created_at, title');
    const items = rows.length
      ? rows.map((r) => `<li><a href="/entries/${encodeURIComponent(r.id)}">${esc(r.title)}</a></li>`).join('\n')
      : '<li>No entries yet.</li>';
    return page('Wiki', `<h1>Wiki entries</h1>\n<ul>${items}</ul>`);
  }

  create(title: string, content: string, createdBy: string): Promise<Entry> {
    return this.serial(async () => {
      const at = new Date().toISOString();
      const e: Entry = { id: randomUUID(), title, content, lastModifiedBy: createdBy, lastModifiedAt: at };
      await this.db.run(
        `INSERT INTO entries (id, title, content, created_by, created_at, last_modified_by, last_modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [e.id, title, content, createdBy, at, createdBy, at],
      );
      return e;
    });
  }

  async entryPage(id: string): Promise<string> {
    const e = await this.find(id);
    const rows = await this.db.all(
      `SELECT who FROM (
         SELECT created_by AS who, 0 AS seq FROM entries WHERE id = ?
         UNION ALL SELECT modified_by, seq FROM edits WHERE entry_id = ?) ORDER BY seq`,
      [e.id, e.id],
    );
    const contributors = [...new Set(rows.map((r) => r.who as string))];
    return page(
      e.title,
      `<h1>${esc(e.title)}</h1>
<div class="content"><pre>${esc(e.content)}</pre></div>
<p>Last edited ${esc(e.lastModifiedAt)} by ${esc(e.lastModifiedBy)}</p>
<h2>Contributors</h2>
<ul>${contributors.map((c) => `<li>${esc(c)}</li>`).join('\n')}</ul>
<p><a href="/entries/${encodeURIComponent(e.id)}/edits">Edit history</a> | <a href="/entries">All entries</a></p>`,
    );
  }

  // update records the edit (old and new content) and the new version in one transaction.
  update(id: string, content: string, modifiedBy: string, summary: string): Promise<Entry> {
    return this.serial(async () => {
      const e = await this.find(id);
      const at = new Date().toISOString();
      await this.db.exec('BEGIN IMMEDIATE');
      try {
        await this.db.run(
          `INSERT INTO edits (entry_id, old_content, new_content, modified_by, summary, modified_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
          [e.id, e.content, content, modifiedBy, summary, at],
        );
        await this.db.run('UPDATE entries SET content = ?, last_modified_by = ?, last_modified_at = ? WHERE id = ?', [
          content,
          modifiedBy,
          at,
          e.id,
        ]);
        await this.db.exec('COMMIT');
      } catch (err) {
        await this.db.exec('ROLLBACK');
        throw err;
      }
      return { ...e, content, lastModifiedBy: modifiedBy, lastModifiedAt: at };
    });
  }

  async editsPage(id: string): Promise<string> {
    const e = await this.find(id);
    const rows = await this.db.all(
      `SELECT old_content, new_content, modified_by, summary, modified_at FROM edits WHERE entry_id = ? ORDER BY seq`,
      [e.id],
    );
    const edits = rows.length
      ? rows
          .map(
            (r) => `<div class="edit">
<p><strong>${esc(r.summary)}</strong> by ${esc(r.modified_by)} on ${esc(r.modified_at)}</p>
<pre>${lineDiff(r.old_content, r.new_content).map(esc).join('\n')}</pre>
</div>`,
          )
          .join('\n')
      : '<p>This entry has not been edited yet.</p>';
    return page(
      `History of ${e.title}`,
      `<h1>History of ${esc(e.title)}</h1>\n${edits}\n<p><a href="/entries/${encodeURIComponent(e.id)}">Back to the entry</a></p>`,
    );
  }
}
