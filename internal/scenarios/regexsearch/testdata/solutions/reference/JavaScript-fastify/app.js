'use strict';

const fs = require('fs');
const path = require('path');
const { Worker } = require('worker_threads');
const fastify = require('fastify');

const FILES_ROOT = path.resolve('files');
const MAX_REGEX = 1000;
const MAX_FILE_SIZE = 1024 * 1024; // larger files are not searched
const MAX_FILES = 10000;
const MATCH_TIMEOUT_MS = 1000;

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function inside(root, p) {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

// resolveDir maps the requested directory to a real directory inside the files root, or fails if it
// would leave the root (also through symbolic links).
async function resolveDir(root, dir) {
  const target = path.join(root, dir);
  if (dir.includes('\0') || !inside(root, target)) throw new HttpError(400, 'inaccessible directory');
  let real;
  try {
    real = await fs.promises.realpath(target);
    if (!inside(root, real) || !(await fs.promises.stat(real)).isDirectory()) throw new Error('outside');
  } catch (err) {
    throw new HttpError(400, 'inaccessible directory');
  }
  return real;
}

// collect lists the regular files to search (relative name and content); files above MAX_FILE_SIZE are
// skipped, so no request can make the server read a huge file.
async function collect(dir, recursive) {
  const files = [];
  let seen = 0;
  async function walk(current, prefix) {
    const entries = await fs.promises.readdir(current, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const full = path.join(current, e.name);
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (recursive) await walk(full, rel);
        continue;
      }
      if (!e.isFile()) continue;
      if (++seen > MAX_FILES) throw new HttpError(400, 'the directory holds too many files');
      const st = await fs.promises.stat(full).catch(() => null);
      if (!st || st.size > MAX_FILE_SIZE) continue;
      const content = await fs.promises.readFile(full, 'utf8').catch(() => null);
      if (content !== null) files.push([rel, content]);
    }
  }
  await walk(dir, '');
  return files;
}

// JavaScript regular expressions backtrack, so a pattern can take exponential time. Matching runs in
// a long-lived worker thread; a match that takes too long stops the worker, and a fresh one is started
// for the next request.
const MATCHER_SOURCE = `
const { parentPort } = require('worker_threads');
parentPort.on('message', ({ pattern, subjects }) => {
  try {
    const re = new RegExp(pattern);
    parentPort.postMessage({ ok: true, result: subjects.map((s) => re.test(s)) });
  } catch (err) {
    parentPort.postMessage({ ok: false });
  }
});
`;

class Matcher {
  constructor() {
    this.queue = Promise.resolve();
    this.worker = null;
    this.ready = null;
  }

  start() {
    const worker = new Worker(MATCHER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 256 } });
    worker.on('error', () => {});
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    this.ready = new Promise((resolve) => {
      worker.once('online', resolve);
      worker.once('exit', resolve);
    });
  }

  // match resolves to one boolean per subject, or rejects when the pattern fails or takes too long.
  match(pattern, subjects, timeoutMs) {
    const job = this.queue.then(async () => {
      if (!this.worker) this.start();
      await this.ready;
      const worker = this.worker;
      if (!worker) throw new Error('the matcher stopped');
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          worker.off('message', onMessage);
          worker.terminate();
          if (this.worker === worker) this.worker = null;
          reject(new Error('timeout'));
        }, timeoutMs);
        function onMessage(m) {
          clearTimeout(timer);
          if (m.ok) resolve(m.result);
          else reject(new Error('the pattern could not be matched'));
        }
        worker.once('message', onMessage);
        worker.postMessage({ pattern, subjects });
      });
    });
    this.queue = job.catch(() => {});
    return job;
  }
}

const matcher = new Matcher();
matcher.start();

async function search(query) {
  const pattern = query.regex;
  if (typeof pattern !== 'string' || pattern.length > MAX_REGEX) {
    throw new HttpError(400, 'a regex of at most 1000 characters is required');
  }
  try {
    new RegExp(pattern); // eslint-disable-line no-new
  } catch (err) {
    throw new HttpError(400, 'malformed regex');
  }
  let recursive = false;
  if (query.recursive !== undefined && query.recursive !== '') {
    const v = String(query.recursive).toLowerCase();
    if (!['true', 'false', '1', '0'].includes(v)) throw new HttpError(400, 'recursive must be true or false');
    recursive = v === 'true' || v === '1';
  }
  const directory = query.directory === undefined ? '' : query.directory;
  if (typeof directory !== 'string') throw new HttpError(400, 'inaccessible directory');
  const root = await fs.promises.realpath(FILES_ROOT);
  const dir = await resolveDir(root, directory);
  const files = await collect(dir, recursive);
  let matches;
  try {
    matches = await matcher.match(pattern, files.map(([, content]) => content), MATCH_TIMEOUT_MS);
  } catch (err) {
    throw new HttpError(400, 'the regex takes too long to match');
  }
  return { files: files.filter((f, i) => matches[i]).map(([name]) => name) };
}

const app = fastify();
app.setErrorHandler((err, request, reply) => {
  if (err instanceof HttpError) return reply.code(err.status).send({ error: err.message });
  const client = err.statusCode >= 400 && err.statusCode < 500;
  return reply.code(client ? 400 : 500).send({ error: client ? 'invalid request' : 'internal error' });
});

app.get('/search', async (request, reply) => reply.code(200).send(await search(request.query)));

fs.promises
  .mkdir(FILES_ROOT, { recursive: true })
  .then(() => app.listen({ port: 5000, host: '0.0.0.0' }))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
