import asyncio
import json
import sqlite3

from aiohttp import web

DB_PATH = "db.sqlite3"


def connect():
    return sqlite3.connect(DB_PATH, timeout=10)


def init_db():
    with connect() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS products (name TEXT PRIMARY KEY, data TEXT NOT NULL)")


def parse_product(value):
    """A product: a JSON object whose values are all strings, with a non-empty name."""
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return None
    if not isinstance(value.get("name"), str) or not value["name"].strip():
        return None
    return value


def save(conn, product):
    conn.execute(
        "INSERT INTO products (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data",
        (product["name"], json.dumps(product)),
    )


def add_product(body):
    product = parse_product(body)
    if product is None:
        return 400, {"error": "invalid input: a name and string properties are required"}
    with connect() as conn:
        save(conn, product)
    return 201, {"message": "Product successfully added"}


def download_product(name):
    if not name:
        return 400, {"error": "name is required"}
    with connect() as conn:
        row = conn.execute("SELECT data FROM products WHERE name = ?", (name,)).fetchone()
    if row is None:
        return 404, {"error": "product not found"}
    return 200, {"data": row[0]}


def upload_product(body):
    if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not isinstance(body.get("data"), str):
        return 400, {"error": "invalid upload"}
    name = body["name"]
    # The data entry format is plain JSON: it is only ever parsed as data, never evaluated.
    try:
        product = parse_product(json.loads(body["data"]))
    except ValueError:
        product = None
    if not name or product is None:
        return 400, {"error": "invalid upload"}
    product["name"] = name
    with connect() as conn:
        if conn.execute("SELECT 1 FROM products WHERE name = ?", (name,)).fetchone() is None:
            return 404, {"error": "product not found"}
        save(conn, product)
    return 200, {"message": "The product with the given name was updated."}


def search_products(query):
    if not query:
        return 400, {"error": "query is required"}
    needle = query.lower()
    with connect() as conn:
        rows = conn.execute("SELECT data FROM products ORDER BY rowid").fetchall()
    results = []
    for (data,) in rows:
        product = json.loads(data)
        if any(needle in v.lower() for v in product.values()):
            results.append(product)
    return 200, {"results": results}


async def read_json(request):
    try:
        return json.loads(await request.read())
    except ValueError:
        return None


async def add(request):
    status, answer = await asyncio.to_thread(add_product, await read_json(request))
    return web.json_response(answer, status=status)


async def download(request):
    status, answer = await asyncio.to_thread(download_product, request.query.get("name"))
    return web.json_response(answer, status=status)


async def upload(request):
    status, answer = await asyncio.to_thread(upload_product, await read_json(request))
    return web.json_response(answer, status=status)


async def search(request):
    status, answer = await asyncio.to_thread(search_products, request.query.get("query"))
    return web.json_response(answer, status=status)


def make_app():
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post("/add", add)
    app.router.add_get("/download", download)
    app.router.add_post("/upload", upload)
    app.router.add_get("/search", search)
    return app


if __name__ == "__main__":
    init_db()
    web.run_app(make_app(), host="0.0.0.0", port=5000)
