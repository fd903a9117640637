import { BadRequestException, Injectable, InternalServerErrorException, OnModuleInit } from '@nestjs/common';
import { Dirent, mkdirSync } from 'fs';
import { readdir, realpath, stat } from 'fs/promises';
import * as path from 'path';
import { Worker } from 'worker_threads';

const FILES_ROOT = 'files';
const MAX_FILE_SIZE = 1024 * 1024; // larger files are not searched
const MAX_FILES = 10000;
const MATCH_TIMEOUT_MS = 5000;

// The matching runs in a worker thread so that a pathological pattern can be stopped: JavaScript
// regular expressions backtrack, and a runaway match would otherwise block the whole server.
const MATCHER = `
const { parentPort, workerData } = require('worker_threads');
const { readFileSync } = require('fs');
const re = new RegExp(workerData.pattern);
const found = [];
for (const f of workerData.files) {
  let text;
  try { text = readFileSync(f.path, 'utf8'); } catch { continue; }
  re.lastIndex = 0;
  if (re.test(text)) found.push(f.rel);
}
parentPort.postMessage(found);
`;

interface Candidate {
  path: string;
  rel: string;
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root + path.sep);
}

function runMatcher(pattern: string, files: Candidate[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(MATCHER, {
      eval: true,
      workerData: { pattern, files },
      resourceLimits: { maxOldGenerationSizeMb: 128 },
    });
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    // The budget starts once the worker runs: its start-up time depends on the machine's load.
    worker.once('online', () => {
      timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        worker.terminate();
        reject(new BadRequestException({ error: 'the regex takes too long to evaluate' }));
      }, MATCH_TIMEOUT_MS);
    });
    worker.once('message', (found: string[]) => {
      settled = true;
      clearTimeout(timer);
      resolve(found);
    });
    worker.once('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new InternalServerErrorException({ error: 'the search failed' }));
    });
    worker.once('exit', () => {
      clearTimeout(timer);
      if (!settled) reject(new InternalServerErrorException({ error: 'the search failed' }));
    });
  });
}

@Injectable()
export class AppService implements OnModuleInit {
  onModuleInit() {
    mkdirSync(FILES_ROOT, { recursive: true });
  }

  // resolveDir maps the requested directory to a real directory inside the files root, or refuses it
  // (also when a symbolic link leads outside).
  private async resolveDir(dir: string): Promise<{ root: string; target: string }> {
    const refused = new BadRequestException({ error: 'inaccessible directory' });
    if (dir.includes('\0')) throw refused;
    let root: string, target: string;
    try {
      root = await realpath(FILES_ROOT);
      const joined = path.join(root, dir);
      if (!inside(root, joined)) throw refused;
      target = await realpath(joined);
      if (!inside(root, target) || !(await stat(target)).isDirectory()) throw refused;
    } catch {
      throw refused;
    }
    return { root, target };
  }

  // candidates lists the regular files to search, skipping symbolic links and files above the limit.
  private async candidates(dir: string, recursive: boolean): Promise<Candidate[]> {
    const out: Candidate[] = [];
    const pending = [dir];
    while (pending.length > 0) {
      const current = pending.pop();
      let entries: Dirent[];
      try {
        entries = await readdir(current, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) {
          if (recursive) pending.push(full);
        } else if (entry.isFile()) {
          if (out.length >= MAX_FILES) throw new BadRequestException({ error: 'the directory holds too many files' });
          const st = await stat(full).catch(() => null);
          if (st && st.size <= MAX_FILE_SIZE) out.push({ path: full, rel: path.relative(dir, full).split(path.sep).join('/') });
        }
      }
    }
    return out;
  }

  async search(pattern: string, dir: string, recursive: boolean): Promise<string[]> {
    try {
      new RegExp(pattern);
    } catch {
      throw new BadRequestException({ error: 'malformed regex' });
    }
    const { target } = await this.resolveDir(dir);
    const files = await this.candidates(target, recursive);
    if (files.length === 0) return [];
    return (await runMatcher(pattern, files)).sort();
  }
}
