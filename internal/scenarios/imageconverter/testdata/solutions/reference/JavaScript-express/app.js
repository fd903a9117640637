'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFile } = require('child_process');
const express = require('express');
const multer = require('multer');

const MAX_FILE = 20 * 1024 * 1024; // one uploaded image
const MAX_IMAGES = 50; // images in one GIF
const MAX_SIDE = 4000; // largest target width or height in pixels
const MAX_TARGET_AREA = 4000000; // largest target area in pixels
const MAX_TOTAL_PIXELS = 64000000;
const MAX_INPUT_PIXELS = 40000000; // largest uploaded image, against decompression bombs
const MAX_DELAY = 655350; // GIF delays are 16-bit hundredths of a second
const CONVERT_TIMEOUT_MS = 60 * 1000;
const SIZE_RE = /^([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$/;
const BOOLEANS = { 1: true, t: true, true: true, 0: false, f: false, false: false };

class BadRequest extends Error {}

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_FILE, files: MAX_IMAGES, fields: 20, fieldSize: 1024 },
});

function parseOptions(body) {
  const m = SIZE_RE.exec(typeof body.targetSize === 'string' ? body.targetSize : '');
  if (!m) throw new BadRequest('targetSize must look like 500x500');
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_TARGET_AREA) {
    throw new BadRequest(`targetSize is too large: at most ${MAX_SIDE}x${MAX_SIDE} pixels and ${MAX_TARGET_AREA} pixels in all`);
  }
  let delay = 10;
  if (body.delay !== undefined && body.delay !== '') {
    if (typeof body.delay !== 'string' || !/^\d{1,6}$/.test(body.delay) || Number(body.delay) > MAX_DELAY) {
      throw new BadRequest('delay must be a whole number of milliseconds');
    }
    delay = Number(body.delay);
  }
  let reverted = false;
  if (body.appendReverted !== undefined && body.appendReverted !== '') {
    const key = typeof body.appendReverted === 'string' ? body.appendReverted.toLowerCase() : '';
    if (!Object.prototype.hasOwnProperty.call(BOOLEANS, key)) throw new BadRequest('appendReverted must be true or false');
    reverted = BOOLEANS[key];
  }
  return { width, height, delayCS: Math.floor((delay + 5) / 10), reverted };
}

// imageInfo reads the format and dimensions from a PNG, GIF or JPEG header, or returns null.
function imageInfo(b) {
  if (b.length >= 24 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { format: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 10 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) {
    return { format: 'gif', width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1];
      if (marker === 0xff) {
        i += 1;
        continue;
      }
      const len = b.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { format: 'jpeg', height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      }
      i += 2 + len;
    }
  }
  return null;
}

// saveImages stores each upload under a name of our own, after checking its header as PNG, JPEG or
// GIF; the returned inputs name the format explicitly so ImageMagick picks no other coder.
async function saveImages(files, dir) {
  if (files.length === 0 || files.length > MAX_IMAGES) throw new BadRequest(`between 1 and ${MAX_IMAGES} images are required`);
  const inputs = [];
  for (let i = 0; i < files.length; i++) {
    const info = imageInfo(files[i].buffer);
    if (!info || info.width === 0 || info.height === 0) throw new BadRequest(`image ${i + 1} is not a PNG, JPEG or GIF image`);
    if (info.width * info.height > MAX_INPUT_PIXELS) throw new BadRequest(`image ${i + 1} is too large`);
    const p = path.join(dir, `input-${String(i).padStart(3, '0')}.${info.format}`);
    await fs.promises.writeFile(p, files[i].buffer, { mode: 0o600 });
    inputs.push(`${info.format}:${p}`);
  }
  return inputs;
}

const app = express();

app.post('/create-gif', upload.array('images', MAX_IMAGES), async (req, res) => {
  let dir;
  try {
    const o = parseOptions(req.body || {});
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'gif-'));
    const inputs = await saveImages(req.files || [], dir);
    const frames = o.reverted ? inputs.concat(inputs.slice().reverse()) : inputs;
    if (frames.length * o.width * o.height > MAX_TOTAL_PIXELS) throw new BadRequest('the animation would be too large');
    const out = path.join(dir, 'out.gif');
    const args = ['-delay', String(o.delayCS), ...frames, '-resize', `${o.width}x${o.height}!`, '-loop', '0', `gif:${out}`];
    await new Promise((resolve, reject) => {
      execFile('convert', args, { timeout: CONVERT_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) {
          console.error('convert:', err.message, String(stderr));
          reject(err);
        } else resolve();
      });
    });
    const gif = await fs.promises.readFile(out);
    res.status(200).set('Content-Type', 'image/gif');
    return res.end(gif);
  } catch (err) {
    if (err instanceof BadRequest) return res.status(400).json({ error: err.message });
    return res.status(500).json({ error: 'the GIF could not be created' });
  } finally {
    if (dir) fs.promises.rm(dir, { recursive: true, force: true }).catch(() => {});
  }
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
    return res.status(413).json({ error: 'the upload is too large' });
  }
  if (err instanceof multer.MulterError || (err.status >= 400 && err.status < 500)) {
    return res.status(400).json({ error: 'a multipart form with images is required' });
  }
  return res.status(500).json({ error: 'the GIF could not be created' });
});

app.listen(5000, '0.0.0.0');
