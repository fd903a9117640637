'use strict';

const { execFile } = require('child_process');
const fs = require('fs/promises');
const os = require('os');
const path = require('path');
const fastify = require('fastify');
const { createWriteStream } = require('fs');
const { pipeline } = require('stream/promises');
const multipart = require('@fastify/multipart');

const MAX_UPLOAD = 100 * 1024 * 1024; // largest accepted request body
const FFMPEG_TIMEOUT_MS = 60 * 1000;

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// extractFrame runs ffmpeg with an argument list (no shell) and returns the PNG of the frame with the
// given 0-based index, or null when the video has no such frame.
function extractFrame(video, frame, dir) {
  const out = path.join(dir, 'frame.png');
  const args = ['-nostdin', '-i', video, '-vf', `select=eq(n\\,${frame})`, '-vframes', '1', out, '-y'];
  return new Promise((resolve) => {
    execFile('ffmpeg', args, { timeout: FFMPEG_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, () => {
      fs.readFile(out)
        .then((data) => resolve(data.length > 0 ? data : null))
        .catch(() => resolve(null));
    });
  });
}

const app = fastify();
app.register(multipart, { limits: { fileSize: MAX_UPLOAD, files: 1, fields: 10 } });

const TOO_LARGE = 'the upload is too large';

app.setErrorHandler(async (err, request, reply) => {
  if (err instanceof HttpError) return reply.code(err.status).send({ error: err.message });
  if (err.statusCode === 413) return reply.code(413).send({ error: TOO_LARGE });
  if (err.statusCode >= 400 && err.statusCode < 500) return reply.code(400).send({ error: 'invalid request' });
  request.log.error(err);
  return reply.code(500).send({ error: 'frame extraction failed' });
});

app.post(
  '/extract',
  {
    onRequest: async (request, reply) => {
      if (Number(request.headers['content-length']) > MAX_UPLOAD) {
        return reply.code(413).header('Connection', 'close').send({ error: TOO_LARGE });
      }
      return undefined;
    },
  },
  async (request, reply) => {
    if (!request.isMultipart()) throw new HttpError(400, 'a multipart form with a video is required');
    // The video is written to the request's own work directory under a fixed name: the client's file
    // names (the part's and videoFileName) are never used as paths.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'extract-'));
    try {
      const fields = {};
      let video = null;
      for await (const part of request.parts()) {
        if (part.type !== 'file') {
          fields[part.fieldname] = part.value;
        } else if (part.fieldname !== 'video' || video) {
          part.file.resume();
        } else {
          video = path.join(dir, 'input');
          await pipeline(part.file, createWriteStream(video, { mode: 0o600 }));
          if (part.file.truncated) throw new HttpError(413, TOO_LARGE);
        }
      }
      const text = String(fields.frameNumber || '').trim();
      if (!/^\d{1,10}$/.test(text)) throw new HttpError(400, 'frameNumber must be a non-negative integer');
      if (!video) throw new HttpError(400, 'the video file is missing');
      const frame = Number(text);
      const png = await extractFrame(video, frame, dir);
      if (!png) throw new HttpError(404, `Frame at index ${frame} could not be found.`);
      return reply.code(200).type('image/png').send(png);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  },
);

app.listen({ port: 5000, host: '0.0.0.0' }).catch((err) => {
  console.error(err);
  process.exit(1);
});
