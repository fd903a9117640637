import { BadRequestException, Injectable, InternalServerErrorException } from '@nestjs/common';
import { execFile } from 'child_process';
import { mkdtemp, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import * as path from 'path';

export const MAX_UPLOAD = 5 * 1024 * 1024;

function pdftotext(input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('pdftotext', ['-enc', 'UTF-8', input, '-'], { timeout: 30_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

@Injectable()
export class AppService {
  // toText stores the upload under a fixed name in a fresh directory (the client's file name is never
  // used) and runs pdftotext on it with an argument list, no shell.
  async toText(data: Buffer): Promise<string> {
    if (!data.subarray(0, 1024).includes('%PDF-')) throw new BadRequestException('the file is not a PDF document');
    const dir = await mkdtemp(path.join(tmpdir(), 'pdf2txt-'));
    try {
      const input = path.join(dir, 'input.pdf');
      await writeFile(input, data, { mode: 0o600 });
      return await pdftotext(input);
    } catch (err) {
      throw new InternalServerErrorException('the file could not be converted');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
