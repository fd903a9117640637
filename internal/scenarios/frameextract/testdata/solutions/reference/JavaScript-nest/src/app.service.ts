import { Injectable, InternalServerErrorException, NotFoundException } from '@nestjs/common';
import { execFile } from 'child_process';
import { mkdtemp, readFile, rm } from 'fs/promises';
import { tmpdir } from 'os';
import * as path from 'path';

export const MAX_UPLOAD = 100 * 1024 * 1024; // largest accepted request body
const FFMPEG_TIMEOUT_MS = 60_000;

function ffmpeg(args: string[]): Promise<void> {
  return new Promise((resolve) => {
    execFile('ffmpeg', args, { timeout: FFMPEG_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 }, (err, _out, stderr) => {
      if (err) console.error('ffmpeg:', err.message, String(stderr).trim().split('\n').pop());
      resolve();
    });
  });
}

@Injectable()
export class AppService {
  // extractFrame runs ffmpeg with an argument list (no shell) and returns the PNG of the frame with the
  // given 0-based index.
  async extractFrame(video: string, frame: number): Promise<Buffer> {
    const dir = await mkdtemp(path.join(tmpdir(), 'extract-'));
    try {
      const out = path.join(dir, 'frame.png');
      await ffmpeg(['-nostdin', '-i', video, '-vf', `select=eq(n\\,${frame})`, '-vframes', '1', out, '-y']);
      const png = await readFile(out).catch((err) => {
        if (err.code === 'ENOENT') return Buffer.alloc(0);
        throw new InternalServerErrorException({ error: 'frame extraction failed' });
      });
      if (png.length === 0) throw new NotFoundException({ error: `Frame at index ${frame} could not be found.` });
      return png;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async remove(file: string): Promise<void> {
    await rm(file, { force: true });
  }
}
