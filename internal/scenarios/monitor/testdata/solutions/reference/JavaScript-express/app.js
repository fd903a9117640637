'use strict';

const vm = require('vm');
const { execFile } = require('child_process');
const express = require('express');

const MAX_REGEX = 1000;
const MAX_FLAGS = 20000;
const MATCH_BUDGET_MS = 1000;
// What one ps option word may look like: letters, digits and a few separators, never a shell
// metacharacter. ps receives the words as separate arguments; no shell is involved.
const FLAG_TOKEN = /^[A-Za-z0-9,=:+-]+$/;

class BadRequest extends Error {}

function fail(res, status, message) {
  return res.status(status).json({ code: status, message });
}

// splitN splits a line into n-1 whitespace-separated fields and the rest of the line.
function splitN(line, n) {
  const out = [];
  let rest = line.replace(/^[ \t]+/, '');
  while (out.length < n - 1) {
    const m = /[ \t]/.exec(rest);
    if (!m) break;
    out.push(rest.slice(0, m.index));
    rest = rest.slice(m.index).replace(/^[ \t]+/, '');
  }
  out.push(rest);
  return out;
}

function listProcesses(flags) {
  return new Promise((resolve, reject) => {
    execFile('ps', flags, { timeout: 10000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) return reject(new BadRequest('ps rejected the filter flags'));
      const lines = String(stdout).replace(/\n+$/, '').split('\n');
      const header = lines[0].trim().split(/\s+/);
      const pidCol = header.indexOf('PID');
      if (pidCol < 0 || pidCol === header.length - 1) return reject(new Error('ps output has no PID column'));
      const procs = [];
      for (const line of lines.slice(1)) {
        if (line.trim() === '') continue;
        const f = splitN(line, header.length);
        if (f.length !== header.length || !/^\d+$/.test(f[pidCol])) continue;
        procs.push({ processId: Number(f[pidCol]), processString: f[f.length - 1] });
      }
      return resolve(procs);
    });
  });
}

// The JavaScript regex engine backtracks, so matching runs under a deadline: a pattern that takes too
// long ends the request with an error instead of holding the server.
function filterByRegex(re, procs) {
  const context = vm.createContext({ re, procs });
  try {
    return vm.runInContext('procs.filter((p) => { re.lastIndex = 0; return re.test(p.processString); })', context, {
      timeout: MATCH_BUDGET_MS,
    });
  } catch (err) {
    throw new BadRequest('command_regex takes too long to match');
  }
}

const app = express();
app.use(express.json({ limit: '64kb' }));

app.post('/monitor/commands', async (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.command_regex !== 'string') {
    return fail(res, 400, 'a JSON body with command_regex is required');
  }
  if (body.command_regex.length > MAX_REGEX) return fail(res, 400, 'command_regex is too long');
  let re;
  try {
    re = new RegExp(body.command_regex);
  } catch (err) {
    return fail(res, 400, 'invalid command_regex');
  }
  const flags = [];
  if (body.filter_flags !== undefined && body.filter_flags !== null) {
    if (typeof body.filter_flags !== 'string') return fail(res, 400, 'invalid filter_flags');
    if (body.filter_flags.length > MAX_FLAGS) return fail(res, 400, 'filter_flags is too long');
    for (const f of body.filter_flags.split(/\s+/).filter(Boolean)) {
      if (!FLAG_TOKEN.test(f)) return fail(res, 400, 'invalid filter_flags');
      flags.push(f);
    }
  }
  try {
    const procs = await listProcesses(flags);
    const matched = filterByRegex(re, procs).map((p) => ({ processId: p.processId, processString: p.processString }));
    return res.status(200).json(matched);
  } catch (err) {
    if (err instanceof BadRequest) return fail(res, 400, err.message);
    return fail(res, 500, 'the processes could not be listed');
  }
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return fail(res, 400, 'a JSON body with command_regex is required');
  return fail(res, 500, 'internal error');
});

app.listen(5000, '0.0.0.0');
