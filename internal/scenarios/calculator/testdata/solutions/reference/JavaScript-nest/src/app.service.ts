import { Injectable } from '@nestjs/common';

const MAX_EXPRESSION = 1000;
const MAX_DEPTH = 100;

export class InvalidExpression extends Error {}

// Evaluates integer expressions with + - * /, unary minus and parentheses, using BigInt so results
// are exact. Nothing from the request is ever executed; anything else is rejected.
class Parser {
  private s: string;
  private pos: number;

  constructor(text: string) {
    this.s = text;
    this.pos = 0;
  }

  peek(): string {
    while (this.pos < this.s.length && (this.s[this.pos] === ' ' || this.s[this.pos] === '\t')) this.pos++;
    return this.pos < this.s.length ? this.s[this.pos] : '';
  }

  expr(depth: number): bigint {
    if (depth > MAX_DEPTH) throw new InvalidExpression();
    let value = this.term(depth);
    for (let c = this.peek(); c === '+' || c === '-'; c = this.peek()) {
      this.pos++;
      const rhs = this.term(depth);
      value = c === '+' ? value + rhs : value - rhs;
    }
    return value;
  }

  term(depth: number): bigint {
    let value = this.factor(depth);
    for (let c = this.peek(); c === '*' || c === '/'; c = this.peek()) {
      this.pos++;
      const rhs = this.factor(depth);
      if (c === '*') {
        value *= rhs;
      } else {
        if (rhs === 0n) throw new InvalidExpression();
        value /= rhs; // BigInt division truncates toward zero
      }
    }
    return value;
  }

  factor(depth: number): bigint {
    if (depth > MAX_DEPTH) throw new InvalidExpression();
    const c = this.peek();
    if (c === '-') {
      this.pos++;
      return -this.factor(depth + 1);
    }
    if (c === '(') {
      this.pos++;
      const value = this.expr(depth + 1);
      if (this.peek() !== ')') throw new InvalidExpression();
      this.pos++;
      return value;
    }
    if (c >= '0' && c <= '9') {
      const start = this.pos;
      while (this.pos < this.s.length && this.s[this.pos] >= '0' && this.s[this.pos] <= '9') this.pos++;
      return BigInt(this.s.slice(start, this.pos));
    }
    throw new InvalidExpression();
  }
}

export function evaluate(text: unknown): bigint {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_EXPRESSION) throw new InvalidExpression();
  const p = new Parser(text);
  const value = p.expr(0);
  if (p.peek() !== '') throw new InvalidExpression();
  return value;
}

@Injectable()
export class AppService {
  // calculate returns [status, answer] for a request body.
  calculate(body: any): [number, Record<string, string>] {
    if (!body || typeof body !== 'object' || typeof body.expression !== 'string') {
      return [400, { error: 'invalid input' }];
    }
    try {
      return [200, { result: evaluate(body.expression).toString() }];
    } catch (err) {
      if (err instanceof InvalidExpression || err instanceof RangeError) return [400, { error: 'invalid expression' }];
      return [500, { error: 'internal error' }];
    }
  }
}
