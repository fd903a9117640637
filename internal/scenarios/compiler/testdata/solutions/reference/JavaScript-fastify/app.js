'use strict';

const { execFile } = require('child_process');
const fs = require('fs/promises');
const os = require('os');
const path = require('path');
const fastify = require('fastify');

const MAX_OUTPUT = 64 * 1024;
const COMPILE_TIMEOUT_MS = 60 * 1000;
// Plain file names only: no directories, no leading dash or dot, no shell characters.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function failure(status, message) {
  return [status, { hasError: true, compilerError: message }];
}

// runCompiler runs the compiler with an argument list (no shell) and resolves to its output when it
// fails, or null when the file compiled.
function runCompiler(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout: COMPILE_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(null);
      if (err.killed) return resolve('compilation timed out');
      if (typeof err.code !== 'number') return reject(err);
      return resolve(`${stdout}${stderr}`.trim().slice(0, MAX_OUTPUT));
    });
  });
}

// compile writes the source into a fresh directory under its validated name and compiles it there.
async function compile(body) {
  if (!body || typeof body !== 'object' || typeof body.fileName !== 'string' || typeof body.fileContent !== 'string') {
    return failure(400, 'fileName and fileContent are required');
  }
  const name = body.fileName;
  if (!SAFE_NAME.test(name) || name.includes('..')) return failure(400, 'invalid file name');
  const isCpp = name.endsWith('.cpp');
  if (!isCpp && !name.endsWith('.ts')) {
    return failure(400, 'unsupported file type: only .ts and .cpp files can be compiled');
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'compile-'));
  try {
    await fs.writeFile(path.join(dir, name), body.fileContent, { mode: 0o600 });
    const output = isCpp
      ? await runCompiler('g++', ['-o', 'program', `./${name}`], dir)
      : await runCompiler('tsc', ['--noEmit', '--pretty', 'false', `./${name}`], dir);
    if (output === null) return [200, { hasError: false, compilerError: null }];
    return [200, { hasError: true, compilerError: output.split(`./${name}`).join(name) }];
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const app = fastify({ bodyLimit: 1024 * 1024 });
app.setErrorHandler((err, request, reply) => {
  const client = err.statusCode >= 400 && err.statusCode < 500;
  const [status, answer] = failure(client ? 400 : 500, client ? 'invalid request' : 'the compiler could not be run');
  return reply.code(status).send(answer);
});
app.post('/compile', async (request, reply) => {
  const [status, answer] = await compile(request.body);
  return reply.code(status).send(answer);
});

app.listen({ port: 5000, host: '0.0.0.0' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
