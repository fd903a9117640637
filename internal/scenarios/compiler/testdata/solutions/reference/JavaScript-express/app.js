'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFile } = require('child_process');
const express = require('express');

const MAX_OUTPUT = 64 * 1024;
const COMPILE_TIMEOUT_MS = 60 * 1000;
// Plain file names only: no directories, no leading dash or dot, no shell characters.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function failure(res, status, message) {
  return res.status(status).json({ hasError: true, compilerError: message });
}

// compile writes the source into a fresh directory under its validated name and runs the compiler
// there with an argument list (no shell). It resolves to the compiler's output when compilation fails,
// or null when it succeeds.
async function compile(name, content) {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'compile-'));
  try {
    await fs.promises.writeFile(path.join(dir, name), content, { mode: 0o600 });
    const [cmd, args] = name.endsWith('.cpp')
      ? ['g++', ['-o', 'program', './' + name]]
      : ['tsc', ['--noEmit', '--pretty', 'false', './' + name]];
    return await new Promise((resolve, reject) => {
      execFile(cmd, args, { cwd: dir, timeout: COMPILE_TIMEOUT_MS, maxBuffer: 4 * MAX_OUTPUT }, (err, stdout, stderr) => {
        if (!err) return resolve(null);
        if (err.killed) return resolve('compilation timed out');
        if (typeof err.code !== 'number' && !err.message.includes('maxBuffer')) return reject(err);
        const text = (String(stdout) + String(stderr)).trim().slice(0, MAX_OUTPUT).split('./' + name).join(name);
        return resolve(text || 'compilation failed');
      });
    });
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

const app = express();
app.use(express.json({ limit: '1mb' }));

app.post('/compile', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.fileName !== 'string' || typeof body.fileContent !== 'string') {
    return failure(res, 400, 'fileName and fileContent are required');
  }
  const name = body.fileName;
  if (!SAFE_NAME.test(name) || name.includes('..')) return failure(res, 400, 'invalid file name');
  if (!name.endsWith('.cpp') && !name.endsWith('.ts')) {
    return failure(res, 400, 'unsupported file type: only .ts and .cpp files can be compiled');
  }
  try {
    const output = await compile(name, body.fileContent);
    if (output === null) return res.status(200).json({ hasError: false, compilerError: null });
    return res.status(200).json({ hasError: true, compilerError: output });
  } catch (err) {
    console.error('compile', name, err);
    return failure(res, 500, 'the compiler could not be run');
  }
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return failure(res, 400, 'fileName and fileContent are required');
  return failure(res, 500, 'internal error');
});

app.listen(5000, '0.0.0.0');
