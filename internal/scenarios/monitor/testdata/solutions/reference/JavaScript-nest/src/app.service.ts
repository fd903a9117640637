import { Injectable } from '@nestjs/common';
import { execFile } from 'child_process';
import { Worker } from 'worker_threads';

export interface Process {
  processId: number;
  processString: string;
}

// Time the matching may take once the worker runs (its start-up is not counted: it depends on load).
const MATCH_TIMEOUT_MS = 2000;

// JavaScript regular expressions backtrack, so the matching runs in a worker thread that is stopped
// when a pattern takes too long, instead of blocking the server.
const MATCHER = `
const { parentPort, workerData } = require('worker_threads');
const re = new RegExp(workerData.pattern);
parentPort.postMessage(workerData.lines.map((s) => re.test(s)));
`;

// splitFields splits a line into n-1 whitespace-separated fields and the rest of the line.
function splitFields(line: string, n: number): string[] {
  const out: string[] = [];
  let rest = line.trimStart();
  while (out.length < n - 1) {
    const m = /[ \t]/.exec(rest);
    if (!m) break;
    out.push(rest.slice(0, m.index));
    rest = rest.slice(m.index).trimStart();
  }
  out.push(rest);
  return out;
}

@Injectable()
export class AppService {
  // listProcesses runs ps with the option words as separate arguments; no shell is involved.
  listProcesses(flags: string[]): Promise<Process[]> {
    return new Promise((resolve, reject) => {
      execFile('ps', flags, { timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
        if (err) return reject(err);
        const lines = stdout.replace(/\n+$/, '').split('\n');
        const header = lines[0].trim().split(/\s+/);
        const pidCol = header.indexOf('PID');
        if (pidCol < 0 || pidCol === header.length - 1) return reject(new Error('ps output has no PID column'));
        const procs: Process[] = [];
        for (const line of lines.slice(1)) {
          if (line.trim() === '') continue;
          const f = splitFields(line, header.length);
          if (f.length !== header.length || !/^\d+$/.test(f[pidCol])) continue;
          procs.push({ processId: Number(f[pidCol]), processString: f[f.length - 1] });
        }
        resolve(procs);
      });
    });
  }

  // filter keeps the processes whose command matches, or returns null when matching took too long.
  filter(procs: Process[], pattern: string): Promise<Process[] | null> {
    if (procs.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const worker = new Worker(MATCHER, {
        eval: true,
        workerData: { pattern, lines: procs.map((p) => p.processString) },
        resourceLimits: { maxOldGenerationSizeMb: 64 },
      });
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (v: Process[] | null) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(v);
      };
      worker.once('online', () => {
        timer = setTimeout(() => {
          worker.terminate();
          finish(null);
        }, MATCH_TIMEOUT_MS);
      });
      worker.once('message', (hits: boolean[]) => finish(procs.filter((_, i) => hits[i])));
      worker.once('error', () => finish(null));
      worker.once('exit', () => finish(null));
    });
  }
}
