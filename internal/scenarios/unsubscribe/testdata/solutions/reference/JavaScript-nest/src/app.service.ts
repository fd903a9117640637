import { BadRequestException, Injectable } from '@nestjs/common';

export interface Decision {
  email: string;
  unsubscribe: boolean;
}

const KEYWORDS = ['unsubscribe', 'remove me', 'deregister me', 'stop sending me', 'delete me'];
const ADDRESS = /^[^\s@<>(),;:"\[\]\\]+@[^\s@<>(),;:"\[\]\\]+$/;

// rawMail returns the e-mail text of a request: the raw body, or the "content" field when the client
// wraps the mail in a JSON object.
function rawMail(body: Buffer, contentType: string | undefined): string {
  const text = body.toString('utf8');
  const isJson = (contentType || '').toLowerCase().split(';')[0].trim() === 'application/json';
  if (isJson || text.trimStart().startsWith('{')) {
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && typeof parsed.content === 'string') return parsed.content;
    } catch {
      // not JSON: fall through
    }
    if (isJson) throw new BadRequestException({ error: 'a JSON body needs a "content" string' });
  }
  return text;
}

// splitMessage separates the header block (up to the first empty line) from the body and unfolds
// continued header lines. Header-like lines in the body are never read as headers.
function splitMessage(raw: string): { headers: Map<string, string>; body: string } {
  const normalized = raw.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end < 0 ? normalized : normalized.slice(0, end);
  const body = end < 0 ? '' : normalized.slice(end + 2);
  const headers = new Map<string, string>();
  let last = '';
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && last) {
      headers.set(last, headers.get(last) + ' ' + line.trim());
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(last)) headers.set(last, line.slice(colon + 1).trim());
    else last = ''; // only the first occurrence of a header counts
  }
  return { headers, body };
}

// senderAddress takes the bare address from a From header such as `Peter <peter@example.com>`.
function senderAddress(from: string | undefined): string | null {
  if (!from) return null;
  const angle = /<([^<>]*)>/.exec(from);
  const candidate = (angle ? angle[1] : from.split(',')[0]).trim();
  return ADDRESS.test(candidate) ? candidate : null;
}

function decodeQuotedPrintable(text: string): string {
  const bytes = Buffer.from(text.replace(/=\r?\n/g, ''), 'latin1').toString('latin1');
  const decoded = bytes.replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(decoded, 'latin1').toString('utf8');
}

// decodeEncodedWords undoes RFC 2047 words (=?utf-8?B?...?=) in a header such as Subject.
function decodeEncodedWords(text: string): string {
  return text.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset, enc, data) => {
    try {
      if (enc.toUpperCase() === 'B') return Buffer.from(data, 'base64').toString('utf8');
      return decodeQuotedPrintable(data.replace(/_/g, ' '));
    } catch {
      return data;
    }
  });
}

function asksToUnsubscribe(subject: string, body: string): boolean {
  const text = [subject, body, decodeQuotedPrintable(body)].join('\n').toLowerCase().split(/\s+/).join(' ');
  return KEYWORDS.some((k) => text.includes(k));
}

@Injectable()
export class AppService {
  decide(body: Buffer, contentType: string | undefined): Decision {
    const raw = rawMail(body, contentType);
    if (raw.trim() === '') throw new BadRequestException({ error: 'no e-mail given' });
    const { headers, body: content } = splitMessage(raw);
    const email = senderAddress(headers.get('from'));
    if (!email) throw new BadRequestException({ error: 'the e-mail has no valid sender' });
    const subject = decodeEncodedWords(headers.get('subject') || '');
    return { email, unsubscribe: asksToUnsubscribe(subject, content) };
  }
}
