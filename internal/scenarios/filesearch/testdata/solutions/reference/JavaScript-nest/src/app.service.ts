import { BadRequestException, Injectable } from '@nestjs/common';
import { Dirent } from 'fs';
import { open, readdir, realpath } from 'fs/promises';
import * as path from 'path';

const DATA_DIR = '/data';
const MAX_READ = 10 * 1024 * 1024; // bytes of a file searched for content
const MAX_FILES = 10000;

@Injectable()
export class AppService {
  // searchRoot resolves search_dir inside the data directory: it is relative to /data even when it
  // starts with a slash, ".." is refused, and the real path (symlinks followed) must stay inside /data.
  private async searchRoot(dir: string): Promise<string | null> {
    if (dir.includes('\0') || dir.split(/[\/\\]/).includes('..')) {
      throw new BadRequestException({ error: 'search_dir must stay inside the data directory' });
    }
    const root = path.join(DATA_DIR, path.normalize('/' + dir));
    let base: string, real: string;
    try {
      base = await realpath(DATA_DIR);
      real = await realpath(root);
    } catch {
      return null; // no such directory: nothing to find
    }
    if (real !== base && !real.startsWith(base + path.sep)) {
      throw new BadRequestException({ error: 'search_dir must stay inside the data directory' });
    }
    return root;
  }

  private async contains(file: string, needle: Buffer): Promise<boolean> {
    const handle = await open(file, 'r').catch(() => null);
    if (!handle) return false;
    try {
      const buf = Buffer.alloc(Math.min((await handle.stat()).size, MAX_READ));
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead).includes(needle);
    } catch {
      return false;
    } finally {
      await handle.close();
    }
  }

  async search(content: string, name: string, dir: string): Promise<string[]> {
    const root = await this.searchRoot(dir);
    const found: string[] = [];
    if (root === null) return found;
    const needle = Buffer.from(content, 'utf8');
    const pending = [root];
    while (pending.length > 0 && found.length < MAX_FILES) {
      const current = pending.pop();
      let entries: Dirent[];
      try {
        entries = await readdir(current, { withFileTypes: true });
      } catch {
        continue; // unreadable directories are skipped
      }
      for (const entry of entries) {
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) {
          pending.push(full);
        } else if (entry.isFile()) {
          // symlinks and special files are never followed
          if ((name !== '' && entry.name.startsWith(name)) || (content !== '' && (await this.contains(full, needle)))) {
            found.push(full);
          }
        }
      }
    }
    return found.sort();
  }
}
