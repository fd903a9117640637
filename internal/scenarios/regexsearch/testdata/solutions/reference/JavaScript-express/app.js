'use strict';

const fs = require('fs');
const path = require('path');
const vm = require('vm');
const express = require('express');

const FILES_ROOT = path.resolve('files');
const MAX_REGEX = 1000;
const MAX_FILE_SIZE = 1024 * 1024; // larger files are not searched
const MAX_FILES = 10000;
const SEARCH_BUDGET_MS = 2000; // total regex time one request may use
const BOOLEANS = { 1: true, t: true, true: true, 0: false, f: false, false: false };

class BadRequest extends Error {}

function inside(root, p) {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}

// resolveDir maps the requested directory to a path inside the files root, or fails if it would leave
// the root (also through symbolic links).
function resolveDir(root, dir) {
  const target = path.join(root, dir);
  if (!inside(root, target)) throw new BadRequest('inaccessible directory');
  let real;
  try {
    real = fs.realpathSync(target);
    if (!fs.statSync(real).isDirectory()) throw new Error('not a directory');
  } catch (err) {
    throw new BadRequest('inaccessible directory');
  }
  if (!inside(root, real)) throw new BadRequest('inaccessible directory');
  return real;
}

// The JavaScript regex engine backtracks, so each match runs under a deadline: a pattern that would
// take too long ends the request with an error instead of holding the server.
function matcher(re, deadline) {
  const context = vm.createContext({ re, data: '' });
  const script = new vm.Script('re.lastIndex = 0; re.test(data)');
  return (data) => {
    const left = deadline - Date.now();
    if (left <= 0) throw new BadRequest('the search took too long');
    context.data = data;
    try {
      return script.runInContext(context, { timeout: left });
    } catch (err) {
      throw new BadRequest('the search took too long');
    }
  };
}

function search(dir, recursive, test) {
  const found = [];
  let seen = 0;
  const visit = (current) => {
    let entries;
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch (err) {
      return;
    }
    for (const e of entries) {
      const full = path.join(current, e.name);
      if (e.isDirectory()) {
        if (recursive) visit(full);
        continue;
      }
      if (!e.isFile()) continue;
      seen += 1;
      if (seen > MAX_FILES) throw new BadRequest('the directory holds too many files');
      let data;
      try {
        if (fs.statSync(full).size > MAX_FILE_SIZE) continue;
        data = fs.readFileSync(full, 'utf8');
      } catch (err) {
        continue;
      }
      if (test(data)) found.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  visit(dir);
  return found;
}

const app = express();

app.get('/search', (req, res) => {
  const { regex, directory, recursive } = req.query;
  if (typeof regex !== 'string' || regex.length > MAX_REGEX) {
    return res.status(400).json({ error: 'a regex of at most 1000 characters is required' });
  }
  let re;
  try {
    re = new RegExp(regex);
  } catch (err) {
    return res.status(400).json({ error: 'malformed regex' });
  }
  let deep = false;
  if (recursive !== undefined && recursive !== '') {
    const key = typeof recursive === 'string' ? recursive.toLowerCase() : '';
    if (!Object.prototype.hasOwnProperty.call(BOOLEANS, key)) {
      return res.status(400).json({ error: 'recursive must be true or false' });
    }
    deep = BOOLEANS[key];
  }
  if (directory !== undefined && typeof directory !== 'string') {
    return res.status(400).json({ error: 'inaccessible directory' });
  }
  try {
    const root = fs.realpathSync(FILES_ROOT);
    const dir = resolveDir(root, directory || '');
    const files = search(dir, deep, matcher(re, Date.now() + SEARCH_BUDGET_MS));
    return res.status(200).json({ files });
  } catch (err) {
    if (err instanceof BadRequest) return res.status(400).json({ error: err.message });
    return res.status(500).json({ error: 'the files root is not available' });
  }
});

fs.mkdirSync(FILES_ROOT, { recursive: true });
app.listen(5000, '0.0.0.0');
