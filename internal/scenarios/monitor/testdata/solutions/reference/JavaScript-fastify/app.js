'use strict';

const { execFile } = require('child_process');
const { Worker } = require('worker_threads');
const fastify = require('fastify');

const MAX_REGEX = 1000;
const MAX_FLAGS = 20000;
const MATCH_TIMEOUT_MS = 1000;
// What one ps option word may look like: letters, digits and a few separators, never a shell
// metacharacter. ps gets the words as separate arguments; no shell is involved.
const FLAG_TOKEN = /^[A-Za-z0-9,=:+-]+$/;

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function listProcesses(flags) {
  return new Promise((resolve, reject) => {
    execFile('ps', flags, { timeout: 10000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) return reject(new ApiError(400, 'ps rejected the filter flags'));
      const lines = stdout.split('\n').filter((l) => l.trim() !== '');
      if (lines.length === 0) return resolve([]);
      const header = lines[0].trim().split(/\s+/);
      const pidCol = header.indexOf('PID');
      if (pidCol < 0 || pidCol === header.length - 1) return reject(new ApiError(400, 'ps output has no PID column'));
      const procs = [];
      for (const line of lines.slice(1)) {
        // The last column (the command) may contain spaces: split off the others only.
        const fields = [];
        let rest = line.trimStart();
        while (fields.length < header.length - 1) {
          const m = /\s+/.exec(rest);
          if (!m) break;
          fields.push(rest.slice(0, m.index));
          rest = rest.slice(m.index + m[0].length);
        }
        fields.push(rest);
        const pid = Number(fields[pidCol]);
        if (fields.length === header.length && Number.isInteger(pid)) procs.push({ processId: pid, processString: rest });
      }
      return resolve(procs);
    });
  });
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

async function monitor(body) {
  if (!body || typeof body !== 'object' || typeof body.command_regex !== 'string') {
    throw new ApiError(400, 'a JSON body with command_regex is required');
  }
  const pattern = body.command_regex;
  if (pattern.length > MAX_REGEX) throw new ApiError(400, 'command_regex is too long');
  try {
    new RegExp(pattern); // eslint-disable-line no-new
  } catch (err) {
    throw new ApiError(400, 'invalid command_regex');
  }
  let flags = [];
  if (body.filter_flags !== undefined && body.filter_flags !== null) {
    if (typeof body.filter_flags !== 'string' || body.filter_flags.length > MAX_FLAGS) {
      throw new ApiError(400, 'invalid filter_flags');
    }
    flags = body.filter_flags.split(/\s+/).filter((f) => f !== '');
    if (!flags.every((f) => FLAG_TOKEN.test(f))) throw new ApiError(400, 'invalid filter_flags');
  }
  const procs = await listProcesses(flags);
  let matches;
  try {
    matches = await matcher.match(pattern, procs.map((p) => p.processString), MATCH_TIMEOUT_MS);
  } catch (err) {
    throw new ApiError(400, 'command_regex takes too long to match');
  }
  return procs.filter((p, i) => matches[i]);
}

const app = fastify({ bodyLimit: 64 * 1024 });
// Errors answer with the API's Error object: {code, message}.
app.setErrorHandler((err, request, reply) => {
  if (err instanceof ApiError) return reply.code(err.status).send({ code: err.status, message: err.message });
  const client = err.statusCode >= 400 && err.statusCode < 500;
  const status = client ? 400 : 500;
  return reply.code(status).send({ code: status, message: client ? 'invalid request' : 'internal error' });
});

app.post('/monitor/commands', async (request, reply) => reply.code(200).send(await monitor(request.body)));

app.listen({ port: 5000, host: '0.0.0.0' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
