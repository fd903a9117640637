import { BadRequestException, Injectable, InternalServerErrorException } from '@nestjs/common';
import { execFile } from 'child_process';
import { mkdtemp, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import * as path from 'path';

export interface CompileResult {
  hasError: boolean;
  compilerError: string | null;
}

// A plain file name: no directories, no leading dash or dot, nothing a shell would interpret.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const COMPILE_TIMEOUT_MS = 60_000;
const MAX_OUTPUT = 64 * 1024;

function refuse(message: string): never {
  throw new BadRequestException({ hasError: true, compilerError: message });
}

// run starts the compiler with an argument list (no shell) and resolves with its output and whether
// it failed.
function run(cmd: string, args: string[], cwd: string): Promise<{ failed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout: COMPILE_TIMEOUT_MS, maxBuffer: 4 * MAX_OUTPUT }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      if (!err) return resolve({ failed: false, output });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(err);
      resolve({ failed: true, output: err.killed ? 'compilation timed out' : output });
    });
  });
}

@Injectable()
export class AppService {
  async compile(fileName: unknown, fileContent: unknown): Promise<CompileResult> {
    if (typeof fileName !== 'string' || typeof fileContent !== 'string') {
      refuse('fileName and fileContent are required');
    }
    if (!SAFE_NAME.test(fileName) || fileName.includes('..')) refuse('invalid file name');
    const isCpp = fileName.endsWith('.cpp');
    if (!isCpp && !fileName.endsWith('.ts')) refuse('unsupported file type: only .ts and .cpp files can be compiled');

    // Every compilation gets its own fresh directory, removed afterwards.
    const dir = await mkdtemp(path.join(tmpdir(), 'compile-'));
    try {
      await writeFile(path.join(dir, fileName), fileContent, { mode: 0o600 });
      const args = isCpp ? ['-o', 'program', './' + fileName] : ['--noEmit', '--pretty', 'false', './' + fileName];
      const { failed, output } = await run(isCpp ? 'g++' : 'tsc', args, dir);
      if (!failed) return { hasError: false, compilerError: null };
      return { hasError: true, compilerError: output.split('./' + fileName).join(fileName).slice(0, MAX_OUTPUT) };
    } catch (err) {
      throw new InternalServerErrorException({ hasError: true, compilerError: 'the compiler could not be run' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
