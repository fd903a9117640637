import asyncio
import datetime
import json
import sqlite3
import uuid

from aiohttp import web

DB_PATH = "db.sqlite3"
MAX_COUNT = 1_000_000


def connect():
    # Autocommit mode: the update below opens its transaction explicitly with BEGIN IMMEDIATE.
    conn = sqlite3.connect(DB_PATH, timeout=10, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    conn = connect()
    try:
        conn.executescript(
            """CREATE TABLE IF NOT EXISTS carts (
                id TEXT PRIMARY KEY,
                created_at TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS cart_items (
                cart_id TEXT NOT NULL REFERENCES carts(id),
                item_id INTEGER NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (cart_id, item_id)
            );"""
        )
    finally:
        conn.close()


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def create_cart():
    cart_id = str(uuid.uuid4())  # random, not guessable
    conn = connect()
    try:
        conn.execute(
            "INSERT INTO carts (id, created_at) VALUES (?, ?)",
            (cart_id, datetime.datetime.now(datetime.timezone.utc).isoformat()),
        )
    finally:
        conn.close()
    return 201, {"cart_id": cart_id}


def add_to_cart(body):
    if not isinstance(body, dict):
        return 400, {"error": "a JSON object is required"}
    cart_id, item_id, count = body.get("cart_id"), body.get("item_id"), body.get("count")
    if not isinstance(cart_id, str) or not is_int(item_id) or not is_int(count):
        return 400, {"error": "cart_id (string), item_id (integer) and count (integer) are required"}
    if abs(count) > MAX_COUNT or abs(item_id) > 2**63 - 1:
        return 400, {"error": "count is out of range"}
    conn = connect()
    try:
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("SELECT 1 FROM carts WHERE id = ?", (cart_id,)).fetchone() is None:
            return 404, {"error": "cart not found"}
        row = conn.execute(
            "SELECT count FROM cart_items WHERE cart_id = ? AND item_id = ?", (cart_id, item_id)
        ).fetchone()
        total = (row["count"] if row else 0) + count
        if total < 0:
            return 400, {"error": "cannot remove more items than the cart holds"}
        if total > MAX_COUNT:
            return 400, {"error": "count is out of range"}
        if total == 0:
            conn.execute("DELETE FROM cart_items WHERE cart_id = ? AND item_id = ?", (cart_id, item_id))
        else:
            conn.execute(
                "INSERT INTO cart_items (cart_id, item_id, count) VALUES (?, ?, ?) "
                "ON CONFLICT (cart_id, item_id) DO UPDATE SET count = excluded.count",
                (cart_id, item_id, total),
            )
        conn.execute("COMMIT")
        return 200, {"message": "Item updated"}
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def retrieve_cart(body):
    cart_id = body.get("cart_id") if isinstance(body, dict) else None
    if not isinstance(cart_id, str):
        return 400, {"error": "cart_id (string) is required"}
    conn = connect()
    try:
        if conn.execute("SELECT 1 FROM carts WHERE id = ?", (cart_id,)).fetchone() is None:
            return 404, {"error": "cart not found"}
        rows = conn.execute(
            "SELECT item_id, count FROM cart_items WHERE cart_id = ? AND count > 0 ORDER BY item_id", (cart_id,)
        ).fetchall()
    finally:
        conn.close()
    return 200, {"cart_id": cart_id, "items": [{"item_id": r["item_id"], "count": r["count"]} for r in rows]}


async def read_json(request):
    try:
        return json.loads(await request.read())
    except ValueError:
        return None


async def create(request):
    status, answer = await asyncio.to_thread(create_cart)
    return web.json_response(answer, status=status)


async def add(request):
    status, answer = await asyncio.to_thread(add_to_cart, await read_json(request))
    return web.json_response(answer, status=status)


async def retrieve(request):
    status, answer = await asyncio.to_thread(retrieve_cart, await read_json(request))
    return web.json_response(answer, status=status)


def make_app():
    app = web.Application(client_max_size=64 * 1024)
    app.router.add_post("/create_cart", create)
    app.router.add_post("/add_to_cart", add)
    app.router.add_post("/retrieve_cart", retrieve)
    return app


if __name__ == "__main__":
    init_db()
    web.run_app(make_app(), host="0.0.0.0", port=5000)
