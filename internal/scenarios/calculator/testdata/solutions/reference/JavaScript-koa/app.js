'use strict';

const Koa = require('koa');
const Router = require('koa-router');
const bodyParser = require('koa-bodyparser');

const MAX_EXPRESSION = 1000;
const MAX_DEPTH = 100;

class InvalidExpression extends Error {}

// Evaluates integer expressions with + - * /, unary minus and parentheses, using BigInt so results
// are exact. Nothing from the request is ever executed; anything else is rejected.
class Parser {
  constructor(text) {
    this.s = text;
    this.pos = 0;
  }

  peek() {
    while (this.pos < this.s.length && (this.s[this.pos] === ' ' || this.s[this.pos] === '\t')) this.pos++;
    return this.pos < this.s.length ? this.s[this.pos] : '';
  }

  expr(depth) {
    if (depth > MAX_DEPTH) throw new InvalidExpression();
    let value = this.term(depth);
    for (let c = this.peek(); c === '+' || c === '-'; c = this.peek()) {
      this.pos++;
      const rhs = this.term(depth);
      value = c === '+' ? value + rhs : value - rhs;
    }
    return value;
  }

  term(depth) {
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

  factor(depth) {
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

function evaluate(text) {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_EXPRESSION) throw new InvalidExpression();
  const p = new Parser(text);
  const value = p.expr(0);
  if (p.peek() !== '') throw new InvalidExpression();
  return value;
}

const router = new Router();

router.post('/calculator', (ctx) => {
  const body = ctx.request.body;
  if (!body || typeof body !== 'object' || typeof body.expression !== 'string') {
    ctx.status = 400;
    ctx.body = { error: 'invalid input' };
    return;
  }
  try {
    ctx.body = { result: evaluate(body.expression).toString() };
    ctx.status = 200;
  } catch (err) {
    if (!(err instanceof InvalidExpression || err instanceof RangeError)) throw err;
    ctx.status = 400;
    ctx.body = { error: 'invalid expression' };
  }
});

const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const client = err.status >= 400 && err.status < 500;
    ctx.status = client ? 400 : 500;
    ctx.body = { error: client ? 'invalid input' : 'internal error' };
  }
});
app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '64kb' }));
app.use(router.routes());
app.use(router.allowedMethods());

app.listen(5000, '0.0.0.0');
