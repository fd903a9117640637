import asyncio
import html
import json
import sqlite3

from aiohttp import web

DB_PATH = "db.sqlite3"
MAX_NAME = 200
MAX_TAG = 100
MAX_TAGS = 50
MAX_RESULTS = 1000
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'self'; script-src 'none'", "X-Content-Type-Options": "nosniff"}


def connect():
    return sqlite3.connect(DB_PATH, timeout=10)


def init_db():
    with connect() as conn:
        conn.executescript(
            """CREATE TABLE IF NOT EXISTS products (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS product_tags (
                product_id INTEGER NOT NULL REFERENCES products(id),
                tag TEXT NOT NULL,
                PRIMARY KEY (product_id, tag)
            );
            CREATE INDEX IF NOT EXISTS product_tags_tag ON product_tags (tag);"""
        )


def post_product(body):
    if not isinstance(body, dict):
        return 400, {"error": "invalid input"}
    name, tags = body.get("product_name"), body.get("tags")
    if not isinstance(name, str) or not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return 400, {"error": "invalid input"}
    name, tags = name.strip(), [t.strip() for t in tags]
    if not name or len(name) > MAX_NAME or not tags or len(tags) > MAX_TAGS:
        return 400, {"error": "invalid input"}
    if any(not t or len(t) > MAX_TAG for t in tags):
        return 400, {"error": "invalid input"}
    with connect() as conn:
        product_id = conn.execute("INSERT INTO products (name) VALUES (?)", (name,)).lastrowid
        conn.executemany(
            "INSERT OR IGNORE INTO product_tags (product_id, tag) VALUES (?, ?)", [(product_id, t) for t in tags]
        )
    return 200, {"message": "Product posted"}


def recommend(tags_param):
    """The names of the products having at least one of the comma-separated tags."""
    tags = [t.strip() for t in (tags_param or "").split(",") if t.strip()][:MAX_TAGS]
    if not tags:
        return []
    placeholders = ",".join("?" for _ in tags)
    with connect() as conn:
        rows = conn.execute(
            "SELECT DISTINCT p.id, p.name FROM products p JOIN product_tags t ON t.product_id = p.id "
            "WHERE t.tag IN (" + placeholders + ") ORDER BY p.id LIMIT ?",
            (*tags, MAX_RESULTS),
        ).fetchall()
    return [name for _, name in rows]


def render(names):
    # Every product name is HTML-escaped; only the page's own markup is HTML.
    items = "".join("<li>" + html.escape(n) + "</li>\n" for n in names)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Recommendations</title></head>\n'
        "<body>\n<h1>Recommended products</h1>\n<ul>\n" + items + "</ul>\n</body></html>\n"
    )


async def get_recommendations(request):
    names = await asyncio.to_thread(recommend, request.query.get("tags"))
    return web.Response(text=render(names), content_type="text/html", headers=PAGE_HEADERS)


async def post_recommendation(request):
    try:
        body = json.loads(await request.read())
    except ValueError:
        body = None
    status, answer = await asyncio.to_thread(post_product, body)
    return web.json_response(answer, status=status)


def make_app():
    app = web.Application(client_max_size=64 * 1024)
    app.router.add_get("/recommender", get_recommendations)
    app.router.add_post("/recommender", post_recommendation)
    return app


if __name__ == "__main__":
    init_db()
    web.run_app(make_app(), host="0.0.0.0", port=5000)
