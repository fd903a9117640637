'use strict';

const fs = require('fs');
const path = require('path');
const fastify = require('fastify');

const SONG_DIR = '/var/songs';

// validName accepts a plain file name: no directory parts, no parent references, no control characters.
function validName(name) {
  if (typeof name !== 'string' || name === '' || name.length > 255) return false;
  if (name.includes('..') || /[\/\\\x00-\x1f\x7f]/.test(name)) return false;
  return path.basename(name) === name;
}

// openSong resolves the name inside the song directory, following links, and returns an open stream
// only when the real file is a regular file directly in that directory.
async function openSong(name) {
  let base;
  let full;
  try {
    base = await fs.promises.realpath(SONG_DIR);
    full = await fs.promises.realpath(path.join(base, name));
  } catch (err) {
    return null;
  }
  if (path.dirname(full) !== base) return null;
  const handle = await fs.promises.open(full, 'r').catch(() => null);
  if (!handle) return null;
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    return null;
  }
  return handle.createReadStream();
}

const app = fastify({ bodyLimit: 64 * 1024 });
app.setErrorHandler((err, request, reply) => {
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send({ error: 'invalid input' });
  request.log.error(err);
  return reply.code(500).send({ error: 'internal error' });
});

app.post('/download', async (request, reply) => {
  const body = request.body;
  if (!body || typeof body !== 'object' || !validName(body.filename)) return reply.code(400).send({ error: 'invalid input' });
  const stream = await openSong(body.filename);
  if (!stream) return reply.code(404).send({ error: 'song not found' });
  return reply.code(200).type('audio/mpeg').send(stream);
});

app.listen({ port: 5000, host: '0.0.0.0' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
