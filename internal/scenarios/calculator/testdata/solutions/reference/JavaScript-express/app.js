'use strict';

const express = require('express');

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

const app = express();
app.use(express.json({ limit: '64kb' }));

app.post('/calculator', (req, res) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.expression !== 'string') {
    return res.status(400).json({ error: 'invalid input' });
  }
  let value;
  try {
    value = evaluate(body.expression);
  } catch (err) {
    if (err instanceof InvalidExpression || err instanceof RangeError) {
      return res.status(400).json({ error: 'invalid expression' });
    }
    return res.status(500).json({ error: 'internal error' });
  }
  return res.status(200).json({ result: value.toString() });
});

app.use((err, req, res, next) => {
  if (res.headersSent) return next(err);
  if (err.status >= 400 && err.status < 500) return res.status(400).json({ error: 'invalid input' });
  return res.status(500).json({ error: 'internal error' });
});

app.listen(5000, '0.0.0.0');
