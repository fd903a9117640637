'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFile } = require('child_process');
const express = require('express');
const multer = require('multer');

const MAX_FILE = 50 * 1024 * 1024;
const MAX_FILES = 50;
const INVALID = 'Invalid input or missing files.';
const FAILED = 'An error occurred while processing the files.';

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE, files: MAX_FILES } });

const app = express();

app.post('/concatenate', upload.array('files', MAX_FILES), async (req, res) => {
  const files = req.files || [];
  if (files.length === 0) return res.status(400).json({ error: INVALID });
  if (!files.every((f) => f.buffer.subarray(0, 5).toString('latin1') === '%PDF-')) {
    return res.status(400).json({ error: 'Every file must be a PDF document.' });
  }
  // Client file names are never used: each upload is stored under a generated name in a fresh
  // directory, and pdfunite gets the paths as separate arguments (no shell).
  let dir;
  try {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'pdfcat-'));
    const args = [];
    for (let i = 0; i < files.length; i++) {
      const p = path.join(dir, `input-${String(i).padStart(3, '0')}.pdf`);
      await fs.promises.writeFile(p, files[i].buffer, { mode: 0o600 });
      args.push(p);
    }
    const out = path.join(dir, 'concatenated.pdf');
    args.push(out);
    await new Promise((resolve, reject) => {
      execFile('pdfunite', args, { timeout: 60000 }, (err) => (err ? reject(err) : resolve()));
    });
    const result = await fs.promises.readFile(out);
    res.status(200).set('Content-Type', 'application/pdf');
    return res.end(result);
  } catch (err) {
    return res.status(500).json({ error: FAILED });
  } finally {
    if (dir) fs.promises.rm(dir, { recursive: true, force: true }).catch(() => {});
  }
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return res.status(413).json({ error: 'The upload is too large.' });
    if (err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE') {
      return res.status(400).json({ error: err.code === 'LIMIT_FILE_COUNT' ? 'Too many files.' : INVALID });
    }
    return res.status(400).json({ error: INVALID });
  }
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: INVALID });
  return res.status(500).json({ error: FAILED });
});

app.listen(5000, '0.0.0.0');
