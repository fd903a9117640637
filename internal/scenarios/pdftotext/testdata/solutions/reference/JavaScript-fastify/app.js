'use strict';

const { execFile } = require('child_process');
const fs = require('fs/promises');
const os = require('os');
const path = require('path');
const fastify = require('fastify');
const multipart = require('@fastify/multipart');

// Bounds the upload; larger files are refused before any processing.
const MAX_UPLOAD = 5 * 1024 * 1024;

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

function pdfToText(file) {
  return new Promise((resolve, reject) => {
    execFile('pdftotext', ['-enc', 'UTF-8', file, '-'], { timeout: 30000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout) => {
      if (err) return reject(new HttpError(500, 'the file could not be converted'));
      return resolve(stdout);
    });
  });
}

const app = fastify();
app.register(multipart, { limits: { fileSize: MAX_UPLOAD, files: 1, fields: 10 } });

const NOT_MULTIPART = 'a multipart/form-data body with a file is required';
const TOO_LARGE = 'the file is too large';

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
  '/convert',
  {
    onRequest: async (request, reply) => {
      if (Number(request.headers['content-length']) > MAX_UPLOAD + 64 * 1024) {
        await drain(request.raw, 128 * 1024 * 1024);
        return reply.code(413).send({ error: TOO_LARGE });
      }
      return undefined;
    },
  },
  async (request, reply) => {
    const { files } = await readForm(request);
    const file = files.find((f) => f.fieldname === 'file');
    if (!file) throw new HttpError(400, NOT_MULTIPART);
    if (file.buffer.length === 0) throw new HttpError(400, 'the file is empty');
    // The client's file name is never used: the upload goes to a fresh directory under a fixed name.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pdf2txt-'));
    try {
      const input = path.join(dir, 'input.pdf');
      await fs.writeFile(input, file.buffer, { mode: 0o600 });
      const text = await pdfToText(input);
      return reply.code(200).type('text/plain; charset=utf-8').send(text);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  },
);

app.listen({ port: 5000, host: '0.0.0.0' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
