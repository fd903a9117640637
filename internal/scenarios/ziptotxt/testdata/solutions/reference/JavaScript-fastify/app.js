'use strict';

const fastify = require('fastify');
const multipart = require('@fastify/multipart');
const unzipper = require('unzipper');

const MAX_UPLOAD = 10 * 1024 * 1024; // request body
const MAX_OUTPUT = 10 * 1024 * 1024; // text produced from all members together
const MAX_MEMBERS = 1000;

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// readMember streams one member into memory, stopping as soon as it goes past the bytes left, whatever
// the member's header claims.
function readMember(entry, left) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const stream = entry.stream();
    stream.on('data', (chunk) => {
      size += chunk.length;
      if (size > left) {
        stream.destroy();
        reject(new HttpError(413, 'the archive expands to too much text'));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', () => reject(new HttpError(400, 'the archive could not be read')));
  });
}

// zipToText concatenates the .txt members. Members are read in memory only, never extracted to disk,
// and nested archives are not opened.
async function zipToText(data) {
  let directory;
  try {
    directory = await unzipper.Open.buffer(data);
  } catch (err) {
    throw new HttpError(400, 'the file is not a valid zip archive');
  }
  if (directory.files.length > MAX_MEMBERS) throw new HttpError(400, 'the archive has too many members');
  const parts = [];
  let total = 0;
  for (const entry of directory.files) {
    if (entry.type !== 'File' || !entry.path.toLowerCase().endsWith('.txt')) continue;
    if (entry.uncompressedSize > MAX_OUTPUT - total) throw new HttpError(413, 'the archive expands to too much text');
    let text = await readMember(entry, MAX_OUTPUT - total);
    total += text.length;
    if (text.length > 0 && text[text.length - 1] !== 0x0a) text = Buffer.concat([text, Buffer.from('\n')]);
    parts.push(text);
  }
  return Buffer.concat(parts).toString('utf8');
}

const app = fastify();
app.register(multipart, { limits: { fileSize: MAX_UPLOAD, files: 1, fields: 10 } });

const NOT_MULTIPART = 'a multipart/form-data body with a zip file is required';
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
  if (err instanceof HttpError) return reply.code(err.status).type('text/plain; charset=utf-8').send(`${err.message}\n`);
  if (err.statusCode === 413) return reply.code(413).type('text/plain; charset=utf-8').send(`${TOO_LARGE}\n`);
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).type('text/plain; charset=utf-8').send(`${'invalid request'}\n`);
  request.log.error(err);
  return reply.code(500).type('text/plain; charset=utf-8').send(`${'internal error'}\n`);
});

app.post(
  '/convert',
  {
    // Uploads that announce a body above the limit are refused before any of it is read.
    onRequest: async (request, reply) => {
      if (Number(request.headers['content-length']) > MAX_UPLOAD) {
        return reply.code(413).header('Connection', 'close').type('text/plain; charset=utf-8').send(`${TOO_LARGE}\n`);
      }
      return undefined;
    },
  },
  async (request, reply) => {
    const { files } = await readForm(request);
    const file = files.find((f) => f.fieldname === 'file');
    if (!file) throw new HttpError(400, NOT_MULTIPART);
    const text = await zipToText(file.buffer);
    return reply.code(200).type('text/plain; charset=utf-8').send(text);
  },
);

app.listen({ port: 5000, host: '0.0.0.0' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
