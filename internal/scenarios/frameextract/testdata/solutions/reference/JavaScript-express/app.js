'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFile } = require('child_process');
const express = require('express');
const multer = require('multer');

const MAX_UPLOAD = 100 * 1024 * 1024; // largest accepted video
const FFMPEG_TIMEOUT_MS = 60 * 1000;

// Every upload goes to a fresh directory under a fixed name: the client's file name (videoFileName and
// the part's file name) is never used as a path.
const storage = multer.diskStorage({
  destination(req, file, cb) {
    fs.mkdtemp(path.join(os.tmpdir(), 'extract-'), (err, dir) => {
      if (!err) req.workDir = dir;
      cb(err, dir);
    });
  },
  filename(req, file, cb) {
    cb(null, 'input');
  },
});
const upload = multer({ storage, limits: { fileSize: MAX_UPLOAD, files: 1 } });

function cleanup(req) {
  if (req.workDir) fs.rm(req.workDir, { recursive: true, force: true }, () => {});
}

// extractFrame runs ffmpeg with an argument list and resolves to the PNG of the frame with the given
// 0-based index, or null when the video has no such frame.
function extractFrame(video, frame, dir) {
  const out = path.join(dir, 'frame.png');
  const args = ['-nostdin', '-i', video, '-vf', `select=eq(n\\,${frame})`, '-vframes', '1', out, '-y'];
  return new Promise((resolve) => {
    execFile('ffmpeg', args, { timeout: FFMPEG_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (err) => {
      if (err) console.error('ffmpeg:', err.message.split('\n').filter(Boolean).pop());
      fs.readFile(out, (readErr, data) => resolve(readErr || data.length === 0 ? null : data));
    });
  });
}

const app = express();

app.post(
  '/extract',
  (req, res, next) => {
    if (Number(req.headers['content-length']) > MAX_UPLOAD + 64 * 1024) {
      return res.status(413).json({ error: 'the upload is too large' });
    }
    return next();
  },
  upload.single('video'),
  async (req, res) => {
    try {
      const text = String(req.body.frameNumber ?? '').trim();
      if (!/^\d{1,9}$/.test(text)) return res.status(400).json({ error: 'frameNumber must be a non-negative integer' });
      const frame = Number(text);
      if (!req.file) return res.status(400).json({ error: 'the video file is missing' });
      const png = await extractFrame(req.file.path, frame, path.dirname(req.file.path));
      if (!png) return res.status(404).json({ error: `Frame at index ${frame} could not be found.` });
      res.status(200).set('Content-Type', 'image/png');
      return res.end(png);
    } finally {
      cleanup(req);
    }
  },
);

app.use((err, req, res, next) => {
  cleanup(req);
  if (res.headersSent) return next(err);
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return res.status(413).json({ error: 'the upload is too large' });
    return res.status(400).json({ error: 'a multipart form with a video is required' });
  }
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: 'a multipart form with a video is required' });
  return res.status(500).json({ error: 'frame extraction failed' });
});

app.listen(5000, '0.0.0.0');
