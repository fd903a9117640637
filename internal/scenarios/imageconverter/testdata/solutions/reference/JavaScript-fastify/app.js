'use strict';

const { execFile } = require('child_process');
const fs = require('fs/promises');
const os = require('os');
const path = require('path');
const fastify = require('fastify');
const multipart = require('@fastify/multipart');

const MAX_UPLOAD = 50 * 1024 * 1024; // largest accepted upload
const MAX_IMAGES = 50; // images in one GIF
const MAX_SIDE = 4000; // largest target width or height in pixels
const MAX_TARGET_AREA = 4000000; // largest target area in pixels
const MAX_TOTAL_PIXELS = 64000000;
const MAX_INPUT_PIXELS = 40000000; // largest uploaded image, against decompression bombs
const MAX_DELAY = 655350; // GIF delays are 16-bit hundredths of a second
const SIZE_RE = /^([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$/;

// drain reads and discards what the client still sends (up to a bound), so that an early error answer
// reaches it instead of a reset connection.
function drain(req, max) {
  return new Promise((resolve) => {
    if (req.complete) return resolve();
    let seen = 0;
    req.on('data', (chunk) => {
      seen += chunk.length;
      if (seen > max) {
        req.destroy();
        resolve();
      }
    });
    req.on('end', resolve);
    req.on('close', resolve);
    req.on('error', resolve);
    req.resume();
  });
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// imageInfo reads the format and the dimensions from the image's header, for PNG, JPEG and GIF only.
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
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { format: 'jpeg', height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      }
      i += 2 + b.readUInt16BE(i + 2);
    }
  }
  return null;
}

function parseOptions(body) {
  const m = SIZE_RE.exec(typeof body.targetSize === 'string' ? body.targetSize : '');
  if (!m) throw new HttpError(400, 'targetSize must look like 500x500');
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_TARGET_AREA) {
    throw new HttpError(400, `targetSize is too large: at most ${MAX_SIDE}x${MAX_SIDE} pixels and ${MAX_TARGET_AREA} pixels in all`);
  }
  let delay = 10;
  if (body.delay !== undefined && body.delay !== '') {
    if (!/^\d{1,6}$/.test(body.delay) || Number(body.delay) > MAX_DELAY) {
      throw new HttpError(400, 'delay must be a whole number of milliseconds');
    }
    delay = Number(body.delay);
  }
  let reverted = false;
  if (body.appendReverted !== undefined && body.appendReverted !== '') {
    const v = String(body.appendReverted).toLowerCase();
    if (v !== 'true' && v !== 'false') throw new HttpError(400, 'appendReverted must be true or false');
    reverted = v === 'true';
  }
  return { width, height, delayCS: Math.round(delay / 10), reverted };
}

function convert(args) {
  return new Promise((resolve, reject) => {
    execFile('convert', args, { timeout: 60000, maxBuffer: 4 * 1024 * 1024 }, (err) =>
      err ? reject(new HttpError(500, 'the GIF could not be created')) : resolve(),
    );
  });
}

// createGif stores each image under a name of our own, after checking its header; the inputs name the
// format explicitly so ImageMagick picks no other coder, and convert gets an argument list (no shell).
async function createGif(files, body) {
  const o = parseOptions(body || {});
  if (!files || files.length === 0 || files.length > MAX_IMAGES) {
    throw new HttpError(400, `between 1 and ${MAX_IMAGES} images are required`);
  }
  const infos = files.map((f, i) => {
    const info = imageInfo(f.buffer);
    if (!info) throw new HttpError(400, `image ${i + 1} is not a PNG, JPEG or GIF image`);
    if (info.width * info.height > MAX_INPUT_PIXELS) throw new HttpError(400, `image ${i + 1} is too large`);
    return info;
  });
  const frameCount = o.reverted ? files.length * 2 : files.length;
  if (frameCount * o.width * o.height > MAX_TOTAL_PIXELS) throw new HttpError(400, 'the animation would be too large');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gif-'));
  try {
    const inputs = [];
    for (const [i, f] of files.entries()) {
      const p = path.join(dir, `input-${String(i).padStart(3, '0')}.${infos[i].format}`);
      await fs.writeFile(p, f.buffer, { mode: 0o600 });
      inputs.push(`${infos[i].format}:${p}`);
    }
    const frames = o.reverted ? [...inputs, ...[...inputs].reverse()] : inputs;
    const out = path.join(dir, 'out.gif');
    await convert(['-delay', String(o.delayCS), ...frames, '-resize', `${o.width}x${o.height}!`, '-loop', '0', `gif:${out}`]);
    return await fs.readFile(out);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const app = fastify();
app.register(multipart, { limits: { fileSize: MAX_UPLOAD, files: MAX_IMAGES, fields: 20 } });

const NOT_MULTIPART = 'a multipart form with images is required';
const TOO_LARGE = 'the upload is too large';

// readForm collects the fields and the file parts of a multipart request in memory; a part above its
// limit ends the request with 413.
async function readForm(request) {
  if (!request.isMultipart()) throw new HttpError(400, NOT_MULTIPART);
  const fields = {};
  const files = [];
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      files.push({ fieldname: part.fieldname, filename: part.filename, buffer: await part.toBuffer() });
    } else {
      if (part.valueTruncated) throw new HttpError(413, TOO_LARGE);
      fields[part.fieldname] = part.value;
    }
  }
  return { fields, files };
}

app.setErrorHandler(async (err, request, reply) => {
  await drain(request.raw, 128 * 1024 * 1024);
  if (err instanceof HttpError) return reply.code(err.status).send({ error: err.message });
  if (err.statusCode === 413) return reply.code(413).send({ error: TOO_LARGE });
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send({ error: 'invalid request' });
  request.log.error(err);
  return reply.code(500).send({ error: 'internal error' });
});

app.post(
  '/create-gif',
  {
    onRequest: async (request, reply) => {
      if (Number(request.headers['content-length']) > MAX_UPLOAD) {
        await drain(request.raw, 128 * 1024 * 1024);
        return reply.code(413).send({ error: TOO_LARGE });
      }
      return undefined;
    },
  },
  async (request, reply) => {
    const { fields, files } = await readForm(request);
    const gif = await createGif(files.filter((f) => f.fieldname === 'images'), fields);
    return reply.code(200).type('image/gif').send(gif);
  },
);

app.listen({ port: 5000, host: '0.0.0.0' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
