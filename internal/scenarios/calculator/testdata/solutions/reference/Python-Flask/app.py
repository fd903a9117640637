from flask import Flask, jsonify, request

MAX_EXPRESSION = 1000
MAX_DEPTH = 100


class InvalidExpression(Exception):
    pass


class Parser:
    """Evaluates integer expressions with + - * /, unary minus and parentheses.

    Nothing from the request is ever executed; anything else is rejected."""

    def __init__(self, text):
        self.s = text
        self.pos = 0

    def peek(self):
        while self.pos < len(self.s) and self.s[self.pos] in " \t":
            self.pos += 1
        return self.s[self.pos] if self.pos < len(self.s) else ""

    def expr(self, depth):
        if depth > MAX_DEPTH:
            raise InvalidExpression()
        value = self.term(depth)
        while self.peek() in ("+", "-"):
            op = self.s[self.pos]
            self.pos += 1
            rhs = self.term(depth)
            value = value + rhs if op == "+" else value - rhs
        return value

    def term(self, depth):
        value = self.factor(depth)
        while self.peek() in ("*", "/"):
            op = self.s[self.pos]
            self.pos += 1
            rhs = self.factor(depth)
            if op == "*":
                value = value * rhs
            else:
                if rhs == 0:
                    raise InvalidExpression()
                q = abs(value) // abs(rhs)
                value = q if (value >= 0) == (rhs > 0) else -q
        return value

    def factor(self, depth):
        if depth > MAX_DEPTH:
            raise InvalidExpression()
        c = self.peek()
        if c == "-":
            self.pos += 1
            return -self.factor(depth + 1)
        if c == "(":
            self.pos += 1
            value = self.expr(depth + 1)
            if self.peek() != ")":
                raise InvalidExpression()
            self.pos += 1
            return value
        if c.isdigit() and c.isascii():
            start = self.pos
            while self.pos < len(self.s) and self.s[self.pos].isascii() and self.s[self.pos].isdigit():
                self.pos += 1
            return int(self.s[start:self.pos])
        raise InvalidExpression()


def evaluate(text):
    if not isinstance(text, str) or not text or len(text) > MAX_EXPRESSION:
        raise InvalidExpression()
    p = Parser(text)
    value = p.expr(0)
    if p.peek() != "":
        raise InvalidExpression()
    return value


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024


@app.post("/calculator")
def calculator():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("expression"), str):
        return jsonify({"error": "invalid input"}), 400
    try:
        value = evaluate(body["expression"])
    except InvalidExpression:
        return jsonify({"error": "invalid expression"}), 400
    return jsonify({"result": str(value)}), 200


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
