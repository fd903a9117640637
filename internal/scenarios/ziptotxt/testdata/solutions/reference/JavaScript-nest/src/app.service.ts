import { BadRequestException, Injectable, PayloadTooLargeException } from '@nestjs/common';
import * as unzipper from 'unzipper';

export const MAX_UPLOAD = 10 * 1024 * 1024; // the uploaded archive
const MAX_OUTPUT = 10 * 1024 * 1024; // text produced from all members together
const MAX_MEMBERS = 1000;

// readBounded reads a member's stream but stops as soon as it yields more than `left` bytes, whatever
// its header claims.
function readBounded(stream: NodeJS.ReadableStream & { destroy(): void }, left: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > left) {
        stream.destroy();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

@Injectable()
export class AppService {
  // textOf joins the .txt members of the archive. Members are read in memory only, never extracted
  // to disk, and nested archives are not opened.
  async textOf(data: Buffer): Promise<string> {
    let directory: any;
    try {
      directory = await unzipper.Open.buffer(data);
    } catch {
      throw new BadRequestException('the file is not a valid zip archive');
    }
    if (directory.files.length > MAX_MEMBERS) throw new BadRequestException('the archive has too many members');
    const parts: Buffer[] = [];
    let total = 0;
    for (const entry of directory.files) {
      if (entry.type !== 'File' || !entry.path.toLowerCase().endsWith('.txt')) continue;
      let text: Buffer | null;
      try {
        text = await readBounded(entry.stream(), MAX_OUTPUT - total);
      } catch {
        throw new BadRequestException('the archive could not be read');
      }
      if (text === null) throw new PayloadTooLargeException('the archive expands to too much text');
      total += text.length;
      parts.push(text);
      if (text.length > 0 && text[text.length - 1] !== 0x0a) parts.push(Buffer.from('\n'));
    }
    return Buffer.concat(parts).toString('utf8');
  }
}
