import json
import sqlite3

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

DB_PATH = "db.sqlite3"
MAX_BODY = 1024 * 1024


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


app = FastAPI(title="Product Catalog")


async def read_json(request):
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


@app.post("/add")
async def add(request: Request):
    status, answer = await run_in_threadpool(add_product, await read_json(request))
    return JSONResponse(answer, status_code=status)


@app.get("/download")
async def download(request: Request):
    status, answer = await run_in_threadpool(download_product, request.query_params.get("name"))
    return JSONResponse(answer, status_code=status)


@app.post("/upload")
async def upload(request: Request):
    status, answer = await run_in_threadpool(upload_product, await read_json(request))
    return JSONResponse(answer, status_code=status)


@app.get("/search")
async def search(request: Request):
    status, answer = await run_in_threadpool(search_products, request.query_params.get("query"))
    return JSONResponse(answer, status_code=status)


if __name__ == "__main__":
    init_db()
    uvicorn.run(app, host="0.0.0.0", port=5000)
