import { Injectable, InternalServerErrorException, NotFoundException, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { mkdir, readFile, writeFile } from 'fs/promises';
import * as path from 'path';

export const MAX_UPLOAD = 20 * 1024 * 1024;
const IMAGE_DIR = '/tmp/images';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const BY_EXTENSION: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.svg': 'image/svg+xml',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.txt': 'text/plain',
};

// The formats a browser may show inline; anything else is sent as a download.
const INLINE = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/avif',
  'image/x-icon',
  'image/tiff',
]);

// sniff recognises the common image formats by their first bytes.
function sniff(data: Buffer): string {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => data[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (data.subarray(0, 6).toString('latin1') === 'GIF87a' || data.subarray(0, 6).toString('latin1') === 'GIF89a') {
    return 'image/gif';
  }
  if (data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') {
    return 'image/webp';
  }
  if (starts([0x42, 0x4d])) return 'image/bmp';
  return 'application/octet-stream';
}

@Injectable()
export class AppService implements OnModuleInit {
  private readonly types = new Map<string, string>(); // id -> media type

  async onModuleInit() {
    await mkdir(IMAGE_DIR, { recursive: true, mode: 0o700 });
  }

  // store keeps the file under a random identifier; the client's file name only hints at the type.
  async store(originalName: string, data: Buffer): Promise<string> {
    const id = randomUUID();
    try {
      await writeFile(path.join(IMAGE_DIR, id), data, { mode: 0o600 });
    } catch {
      throw new InternalServerErrorException({ error: 'the file could not be stored' });
    }
    const ext = path.extname(originalName || '').toLowerCase();
    this.types.set(id, BY_EXTENSION[ext] || sniff(data));
    return id;
  }

  async load(id: string): Promise<{ type: string; data: Buffer }> {
    const type = UUID_RE.test(id) ? this.types.get(id) : undefined;
    if (!type) throw new NotFoundException({ error: 'image not found' });
    try {
      return { type, data: await readFile(path.join(IMAGE_DIR, id)) };
    } catch {
      throw new InternalServerErrorException({ error: 'the image could not be read' });
    }
  }

  isInline(type: string): boolean {
    return INLINE.has(type);
  }
}
