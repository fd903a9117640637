'use strict';

const fs = require('fs');
const path = require('path');
const express = require('express');

const DATA_DIR = '/data';
const MAX_READ = 10 * 1024 * 1024; // bytes of a file searched for content
const MAX_FILES = 10000;

class BadRequest extends Error {}

function text(v) {
  return typeof v === 'string' ? v : '';
}

// searchRoot resolves search_dir inside the data directory. The directory is relative to /data even
// when it starts with a slash; ".." is refused and the resolved path (symlinks followed) must stay
// inside /data. It returns null when there is nothing to search.
function searchRoot(dir) {
  if (dir.includes('\0')) throw new BadRequest('invalid search_dir');
  if (dir.split(/[/\\]/).includes('..')) throw new BadRequest('search_dir must stay inside the data directory');
  const root = path.join(DATA_DIR, path.posix.normalize('/' + dir));
  let base;
  let real;
  try {
    base = fs.realpathSync(DATA_DIR);
    real = fs.realpathSync(root);
  } catch (err) {
    return null; // no data directory, or no such directory: nothing to find
  }
  if (real !== base && !real.startsWith(base + path.sep)) {
    throw new BadRequest('search_dir must stay inside the data directory');
  }
  return real;
}

function contains(file, needle) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(Math.min(fs.fstatSync(fd).size, MAX_READ));
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).includes(needle);
  } catch (err) {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

// walk visits the regular files below root; symbolic links and special files are skipped.
function walk(root, visit) {
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop();
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      continue;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(full);
      else if (e.isFile() && visit(full, e.name) === false) return;
    }
  }
}

const app = express();
app.use(express.json({ limit: '1mb' }));

app.post('/search', (req, res) => {
  const body = req.body && typeof req.body === 'object' ? req.body : {};
  const content = text(body.search_content);
  const name = text(body.search_filename);
  if (content === '' && name === '') {
    return res.status(400).json({ error: 'search_content or search_filename is required' });
  }
  let root;
  try {
    root = searchRoot(text(body.search_dir));
  } catch (err) {
    if (err instanceof BadRequest) return res.status(400).json({ error: err.message });
    throw err;
  }
  const found = [];
  if (root !== null) {
    const needle = Buffer.from(content);
    walk(root, (file, base) => {
      if (found.length >= MAX_FILES) return false;
      if ((name !== '' && base.startsWith(name)) || (content !== '' && contains(file, needle))) found.push(file);
      return true;
    });
  }
  found.sort();
  return res.status(200).json({ files: found });
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: 'invalid JSON body' });
  return res.status(500).json({ error: 'internal error' });
});

app.listen(5000, '0.0.0.0');
