import sqlite3
from html import escape

from flask import Flask, Response, jsonify, request

DB_PATH = "db.sqlite3"
MAX_LIMIT = 1000
# The accepted orders; nothing else ever reaches the query text.
ORDERS = {"ASC": "ASC", "DESC": "DESC"}


def connect():
    conn = sqlite3.connect(DB_PATH, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    with connect() as conn:
        conn.execute(
            """CREATE TABLE IF NOT EXISTS messages (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                content TEXT NOT NULL,
                username TEXT NOT NULL,
                created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            )"""
        )


def int_param(name, default, maximum):
    """A non-negative integer query parameter (default when absent), or None when invalid."""
    value = request.args.get(name)
    if value is None or value == "":
        return default
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= maximum else None


def text_error(message, status):
    return Response(message + "\n", status=status, mimetype="text/plain")


def render(rows):
    items = "".join(
        "<li><strong>{}</strong> <em>{}</em><p>{}</p></li>\n".format(
            escape(r["username"]), escape(r["created_at"]), escape(r["content"])
        )
        for r in rows
    )
    return (
        '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>MyForum</title></head>\n'
        "<body>\n<h1>Messages</h1>\n<ul>\n" + items + "</ul>\n</body>\n</html>\n"
    )


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024


@app.post("/messages")
def post_message():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify({"error": "invalid input"}), 400
    content, username = body.get("content"), body.get("username")
    if not isinstance(content, str) or not content.strip():
        return jsonify({"error": "content is required"}), 400
    if username is not None and not isinstance(username, str):
        return jsonify({"error": "invalid input"}), 400
    if not username or not username.strip():
        username = "anonymous"
    with connect() as conn:
        conn.execute("INSERT INTO messages (content, username) VALUES (?, ?)", (content, username))
    return jsonify({"message": "posted"}), 200


@app.get("/messages")
def list_messages():
    limit = int_param("limit", 10, MAX_LIMIT)
    if limit is None:
        return text_error("limit must be an integer between 0 and 1000", 400)
    offset = int_param("offset", 0, 2**31 - 1)
    if offset is None:
        return text_error("offset must be a non-negative integer", 400)
    order = ORDERS.get((request.args.get("sort") or "DESC").upper())
    if order is None:
        return text_error("sort must be ASC or DESC", 400)
    with connect() as conn:
        rows = conn.execute(
            "SELECT username, content, created_at FROM messages ORDER BY id " + order + " LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
    resp = Response(render(rows), status=200, mimetype="text/html")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'"
    return resp


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
