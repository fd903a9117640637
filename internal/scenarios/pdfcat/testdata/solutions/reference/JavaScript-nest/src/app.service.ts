import { BadRequestException, Injectable, InternalServerErrorException } from '@nestjs/common';
import { execFile } from 'child_process';
import { mkdtemp, readFile, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import * as path from 'path';

export const MAX_FILE = 20 * 1024 * 1024;
export const MAX_FILES = 50;

function pdfunite(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('pdfunite', args, { timeout: 60_000 }, (err) => (err ? reject(err) : resolve()));
  });
}

@Injectable()
export class AppService {
  // concatenate stores each upload under a generated name in a fresh directory (client file names are
  // never used) and passes the paths to pdfunite as separate arguments, without a shell.
  async concatenate(files: Buffer[]): Promise<Buffer> {
    if (!files.every((f) => f.subarray(0, 5).toString('latin1') === '%PDF-')) {
      throw new BadRequestException({ error: 'Every file must be a PDF document.' });
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'pdfcat-'));
    try {
      const inputs: string[] = [];
      for (const [i, data] of files.entries()) {
        const p = path.join(dir, `input-${String(i).padStart(3, '0')}.pdf`);
        await writeFile(p, data, { mode: 0o600 });
        inputs.push(p);
      }
      const out = path.join(dir, 'concatenated.pdf');
      await pdfunite([...inputs, out]);
      return await readFile(out);
    } catch (err) {
      throw new InternalServerErrorException({ error: 'An error occurred while processing the files.' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
