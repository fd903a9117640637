'use strict';

const fs = require('fs');
const path = require('path');
const fastify = require('fastify');

const DATA_DIR = '/data';
const MAX_READ = 10 * 1024 * 1024; // bytes of a file searched for content
const MAX_FILES = 10000;

class BadRequest extends Error {}

function optionalString(v, name) {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new BadRequest(`${name} must be a string`);
  return v;
}

// searchRoot resolves search_dir inside the data directory. The directory is relative to /data even
// when it starts with a slash; ".." is refused and the real path (links followed) must stay inside
// /data. It returns null when there is nothing to search.
async function searchRoot(dir) {
  if (dir.includes('\0')) throw new BadRequest('invalid search_dir');
  const parts = dir.split(/[\/\\]+/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new BadRequest('search_dir must stay inside the data directory');
  let base;
  let real;
  try {
    base = await fs.promises.realpath(DATA_DIR);
    real = await fs.promises.realpath(path.join(DATA_DIR, ...parts));
  } catch (err) {
    return null; // no such directory: nothing to find
  }
  if (real !== base && !real.startsWith(base + path.sep)) {
    throw new BadRequest('search_dir must stay inside the data directory');
  }
  return path.join(DATA_DIR, ...parts);
}

async function fileContains(file, needle) {
  let handle;
  try {
    handle = await fs.promises.open(file, 'r');
    const buf = Buffer.alloc(Math.min((await handle.stat()).size, MAX_READ));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).includes(needle);
  } catch (err) {
    return false;
  } finally {
    if (handle) await handle.close();
  }
}

// walk visits regular files below dir; links and special files are skipped, so the search never
// leaves the tree it started in.
async function walk(dir, visit) {
  let entries;
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (err) {
    return true;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!(await walk(full, visit))) return false;
    } else if (e.isFile()) {
      if (!(await visit(full, e.name))) return false;
    }
  }
  return true;
}

async function search(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('a JSON object is required');
  const content = optionalString(body.search_content, 'search_content');
  const name = optionalString(body.search_filename, 'search_filename');
  const dir = optionalString(body.search_dir, 'search_dir');
  if (content === '' && name === '') throw new BadRequest('search_content or search_filename is required');
  const root = await searchRoot(dir);
  const found = [];
  if (root) {
    const needle = Buffer.from(content, 'utf8');
    await walk(root, async (file, base) => {
      if ((name !== '' && base.startsWith(name)) || (content !== '' && (await fileContains(file, needle)))) {
        found.push(file);
      }
      return found.length < MAX_FILES;
    });
  }
  found.sort();
  return { files: found };
}

const app = fastify({ bodyLimit: 1024 * 1024 });
app.setErrorHandler((err, request, reply) => {
  if (err instanceof BadRequest) return reply.code(400).send({ error: err.message });
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send({ error: 'invalid request' });
  return reply.code(500).send({ error: 'internal error' });
});

app.post('/search', async (request, reply) => reply.code(200).send(await search(request.body)));

app.listen({ port: 5000, host: '0.0.0.0' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
