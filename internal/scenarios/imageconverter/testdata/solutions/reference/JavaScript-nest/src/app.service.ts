import { BadRequestException, Injectable, InternalServerErrorException } from '@nestjs/common';
import { execFile } from 'child_process';
import { mkdtemp, readFile, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import * as path from 'path';

export const MAX_IMAGES = 50; // images in one GIF
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const MAX_SIDE = 4000; // largest target width or height in pixels
const MAX_TARGET_AREA = 4_000_000;
const MAX_TOTAL_PIXELS = 64_000_000;
const MAX_INPUT_PIXELS = 40_000_000; // largest uploaded image, against decompression bombs
const MAX_DELAY_MS = 655_350; // GIF delays are 16-bit hundredths of a second
const CONVERT_TIMEOUT_MS = 60_000;
const SIZE_RE = /^([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$/;

export interface GifOptions {
  width: number;
  height: number;
  delayCs: number;
  reverted: boolean;
}

interface ImageInfo {
  format: 'png' | 'jpeg' | 'gif';
  width: number;
  height: number;
}

function bad(message: string): never {
  throw new BadRequestException({ error: message });
}

// imageInfo reads the format and dimensions from a PNG, GIF or JPEG header; anything else is refused.
function imageInfo(data: Buffer): ImageInfo | null {
  if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47 && data.subarray(12, 16).toString('latin1') === 'IHDR') {
    return { format: 'png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  const sig = data.subarray(0, 6).toString('latin1');
  if (data.length >= 10 && (sig === 'GIF87a' || sig === 'GIF89a')) {
    return { format: 'gif', width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
  }
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8) {
    let i = 2;
    while (i + 9 < data.length) {
      if (data[i] !== 0xff) return null;
      const marker = data[i + 1];
      if (marker === 0xff) {
        i++;
        continue;
      }
      const len = data.readUInt16BE(i + 2);
      const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isSof) return { format: 'jpeg', width: data.readUInt16BE(i + 7), height: data.readUInt16BE(i + 5) };
      i += 2 + len;
    }
  }
  return null;
}

function parseBool(v: unknown): boolean {
  if (v === undefined || v === '') return false;
  if (v === 'true' || v === 'True' || v === '1') return true;
  if (v === 'false' || v === 'False' || v === '0') return false;
  bad('appendReverted must be true or false');
}

function convert(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('convert', args, { timeout: CONVERT_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 }, (err, _out, stderr) => {
      if (err) {
        console.error('convert:', err.message, String(stderr).trim());
        reject(err);
      } else resolve();
    });
  });
}

@Injectable()
export class AppService {
  parseOptions(body: Record<string, unknown>): GifOptions {
    const m = typeof body.targetSize === 'string' ? SIZE_RE.exec(body.targetSize) : null;
    if (!m) bad('targetSize must look like 500x500');
    const width = Number(m[1]);
    const height = Number(m[2]);
    if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_TARGET_AREA) {
      bad(`targetSize is too large: at most ${MAX_SIDE}x${MAX_SIDE} pixels and ${MAX_TARGET_AREA} pixels in all`);
    }
    let delay = 10;
    if (body.delay !== undefined && body.delay !== '') {
      if (typeof body.delay !== 'string' || !/^\d{1,6}$/.test(body.delay) || Number(body.delay) > MAX_DELAY_MS) {
        bad('delay must be a whole number of milliseconds');
      }
      delay = Number(body.delay);
    }
    return { width, height, delayCs: Math.round(delay / 10), reverted: parseBool(body.appendReverted) };
  }

  // createGif stores each upload under a name of our own and hands ImageMagick explicit format
  // prefixes and an argument list (no shell), so neither client names nor fields reach a command line
  // unchecked.
  async createGif(images: Buffer[], o: GifOptions): Promise<Buffer> {
    if (images.length === 0) bad(`between 1 and ${MAX_IMAGES} images are required`);
    const infos = images.map((data, i) => {
      const info = imageInfo(data);
      if (!info) bad(`image ${i + 1} is not a PNG, JPEG or GIF image`);
      if (info.width * info.height > MAX_INPUT_PIXELS) bad(`image ${i + 1} is too large`);
      return info;
    });
    const frameCount = o.reverted ? 2 * images.length : images.length;
    if (frameCount * o.width * o.height > MAX_TOTAL_PIXELS) bad('the animation would be too large');

    const dir = await mkdtemp(path.join(tmpdir(), 'gif-'));
    try {
      const inputs: string[] = [];
      for (const [i, data] of images.entries()) {
        const p = path.join(dir, `input-${String(i).padStart(3, '0')}.${infos[i].format}`);
        await writeFile(p, data, { mode: 0o600 });
        inputs.push(`${infos[i].format}:${p}`);
      }
      const frames = o.reverted ? [...inputs, ...[...inputs].reverse()] : inputs;
      const out = path.join(dir, 'out.gif');
      await convert([
        '-delay',
        String(o.delayCs),
        ...frames,
        '-resize',
        `${o.width}x${o.height}!`,
        '-loop',
        '0',
        `gif:${out}`,
      ]);
      return await readFile(out);
    } catch (err) {
      throw new InternalServerErrorException({ error: 'the GIF could not be created' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
