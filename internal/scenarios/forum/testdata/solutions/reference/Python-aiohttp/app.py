import asyncio
import html
import json
import sqlite3

from aiohttp import web

DB_PATH = "db.sqlite3"
MAX_LIMIT = 1000
# The only two orders; the query text never holds anything else from the request.
ORDERS = {"ASC": "ASC", "DESC": "DESC"}
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'none'", "X-Content-Type-Options": "nosniff"}


class BadRequest(Exception):
    pass


def connect():
    return sqlite3.connect(DB_PATH, timeout=10)


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


def post_message(body):
    if not isinstance(body, dict):
        return 400, {"error": "invalid input"}
    content, username = body.get("content"), body.get("username")
    if not isinstance(content, str) or not content.strip() or not isinstance(username, (str, type(None))):
        return 400, {"error": "content is required"}
    username = username.strip() if username and username.strip() else "anonymous"
    with connect() as conn:
        conn.execute("INSERT INTO messages (content, username) VALUES (?, ?)", (content, username))
    return 200, {"message": "posted"}


def int_param(value, default, maximum, name):
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit()) or int(value) > maximum:
        raise BadRequest(name + " must be an integer between 0 and " + str(maximum))
    return int(value)


def list_messages(params):
    limit = int_param(params.get("limit"), 10, MAX_LIMIT, "limit")
    offset = int_param(params.get("offset"), 0, 2**31 - 1, "offset")
    order = ORDERS.get((params.get("sort") or "DESC").upper())
    if order is None:
        raise BadRequest("sort must be ASC or DESC")
    with connect() as conn:
        rows = conn.execute(
            "SELECT username, content, created_at FROM messages ORDER BY id " + order + " LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
    items = "".join(
        "<li><strong>" + html.escape(user) + "</strong> <em>" + html.escape(created) + "</em><p>"
        + html.escape(content) + "</p></li>\n"
        for user, content, created in rows
    )
    return (
        '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>MyForum</title></head>\n<body>\n'
        "<h1>Messages</h1>\n<ul>\n" + items + "</ul>\n</body>\n</html>\n"
    )


async def get_messages(request):
    try:
        page = await asyncio.to_thread(list_messages, request.query)
    except BadRequest as e:
        return web.Response(text=str(e), status=400)
    return web.Response(text=page, content_type="text/html", headers=PAGE_HEADERS)


async def add_message(request):
    try:
        body = json.loads(await request.read())
    except ValueError:
        body = None
    status, answer = await asyncio.to_thread(post_message, body)
    return web.json_response(answer, status=status)


def make_app():
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_get("/messages", get_messages)
    app.router.add_post("/messages", add_message)
    return app


if __name__ == "__main__":
    init_db()
    web.run_app(make_app(), host="0.0.0.0", port=5000)
