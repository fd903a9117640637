import { Injectable } from '@nestjs/common';
import { appendFileSync, readFileSync } from 'fs';

const LOG_FILE = 'logs.txt';

// Every character a reader may treat as a line break, and the backslash used for escaping.
const SPECIAL = /[\\\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\r': '\\r',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
};

// neutralize keeps a message on one line by writing line breaks as escape sequences.
export function neutralize(message: string): string {
  return message.replace(SPECIAL, (c) => ESCAPES[c] ?? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

@Injectable()
export class AppService {
  // append writes one line per message. Node runs handlers on one thread, so the synchronous append
  // keeps lines whole.
  append(message: string): void {
    appendFileSync(LOG_FILE, neutralize(message) + '\n', { mode: 0o600 });
  }

  readAll(): string {
    try {
      return readFileSync(LOG_FILE, 'utf8');
    } catch (err) {
      if (err && err.code === 'ENOENT') return '';
      throw err;
    }
  }
}
