'use strict';

const fs = require('fs');
const path = require('path');
const express = require('express');

const SONG_DIR = '/var/songs';

// validName accepts a plain file name: no directory parts, no parent references, no control bytes.
function validName(name) {
  if (typeof name !== 'string' || name === '' || name === '.' || name === '..' || name.length > 255) return false;
  if (/[/\\\0]/.test(name) || name.includes('..')) return false;
  if (/[\x00-\x1f\x7f]/.test(name)) return false;
  return path.basename(name) === name;
}

const app = express();
app.use(express.json({ limit: '64kb' }));

app.post('/download', (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || !validName(body.filename)) {
    return res.status(400).json({ error: 'invalid input' });
  }
  let full;
  try {
    const base = fs.realpathSync(SONG_DIR);
    full = fs.realpathSync(path.join(base, body.filename));
    if (path.dirname(full) !== base || !fs.statSync(full).isFile()) {
      return res.status(404).json({ error: 'song not found' });
    }
  } catch (err) {
    return res.status(404).json({ error: 'song not found' });
  }
  const stream = fs.createReadStream(full);
  stream.on('open', () => {
    res.status(200).set('Content-Type', 'audio/mpeg');
    stream.pipe(res);
  });
  stream.on('error', () => {
    if (!res.headersSent) res.status(500).json({ error: 'cannot read song' });
    else res.destroy();
  });
  return undefined;
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: 'invalid input' });
  return res.status(500).json({ error: 'internal error' });
});

app.listen(5000, '0.0.0.0');
