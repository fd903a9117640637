import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { ReadStream } from 'fs';
import { open, realpath } from 'fs/promises';
import * as path from 'path';

const SONG_DIR = '/var/songs';

// validName accepts a plain file name: no directory parts, no parent references, no control characters.
function validName(name: unknown): name is string {
  if (typeof name !== 'string' || name === '' || name.length > 255) return false;
  if (name.includes('..') || /[\/\\\x00-\x1f\x7f]/.test(name)) return false;
  return path.basename(name) === name;
}

@Injectable()
export class AppService {
  // open resolves the song inside the song directory (symlinks followed) and refuses anything that is
  // not a regular file there.
  async open(name: unknown): Promise<ReadStream> {
    if (!validName(name)) throw new BadRequestException({ error: 'invalid input' });
    let full: string;
    try {
      const base = await realpath(SONG_DIR);
      full = await realpath(path.join(base, name));
      if (path.dirname(full) !== base) throw new Error('outside the song directory');
    } catch {
      throw new NotFoundException({ error: 'song not found' });
    }
    const handle = await open(full, 'r').catch(() => null);
    if (!handle) throw new NotFoundException({ error: 'song not found' });
    const st = await handle.stat();
    if (!st.isFile()) {
      await handle.close();
      throw new NotFoundException({ error: 'song not found' });
    }
    return handle.createReadStream() as ReadStream;
  }
}
