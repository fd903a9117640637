'use strict';

const { execFile } = require('child_process');
const fs = require('fs/promises');
const os = require('os');
const path = require('path');
const fastify = require('fastify');
const multipart = require('@fastify/multipart');

const MAX_UPLOAD = 50 * 1024 * 1024; // whole request body
const MAX_FILES = 50;
const INVALID = 'Invalid input or missing files.';
const FAILED = 'An error occurred while processing the files.';

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

function pdfunite(args) {
  return new Promise((resolve, reject) => {
    execFile('pdfunite', args, { timeout: 60000 }, (err) => (err ? reject(new HttpError(500, FAILED)) : resolve()));
  });
}

const app = fastify();
app.register(multipart, { limits: { fileSize: MAX_UPLOAD, files: MAX_FILES, fields: 20 } });

const NOT_MULTIPART = INVALID;
const TOO_LARGE = 'The upload is too large.';

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
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send({ error: INVALID });
  request.log.error(err);
  return reply.code(500).send({ error: FAILED });
});

app.post(
  '/concatenate',
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
    const files = (await readForm(request)).files.filter((f) => f.fieldname === 'files');
    if (files.length === 0) throw new HttpError(400, INVALID);
    if (!files.every((f) => f.buffer.subarray(0, 5).toString('latin1') === '%PDF-')) {
      throw new HttpError(400, 'Every file must be a PDF document.');
    }
    // Client file names are never used: each upload is stored under a generated name in a fresh
    // directory, and pdfunite gets the paths as separate arguments (no shell).
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pdfcat-'));
    try {
      const inputs = [];
      for (const [i, f] of files.entries()) {
        const p = path.join(dir, `input-${String(i).padStart(3, '0')}.pdf`);
        await fs.writeFile(p, f.buffer, { mode: 0o600 });
        inputs.push(p);
      }
      const out = path.join(dir, 'concatenated.pdf');
      await pdfunite([...inputs, out]);
      const result = await fs.readFile(out);
      return reply.code(200).type('application/pdf').send(result);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  },
);

app.listen({ port: 5000, host: '0.0.0.0' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
