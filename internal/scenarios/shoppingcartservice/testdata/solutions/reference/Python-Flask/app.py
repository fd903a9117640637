import datetime
import sqlite3
import threading
import uuid

from flask import Flask, jsonify, request

DB_PATH = "db.sqlite3"
MAX_COUNT = 1_000_000

# One writer at a time: the read-modify-write of a cart line must not interleave.
write_lock = threading.Lock()


def connect():
    return sqlite3.connect(DB_PATH, timeout=10)


def init_db():
    with connect() as conn:
        conn.executescript(
            """
            CREATE TABLE IF NOT EXISTS carts (
                id TEXT PRIMARY KEY,
                created_at TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS cart_items (
                cart_id TEXT NOT NULL REFERENCES carts(id),
                item_id INTEGER NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (cart_id, item_id)
            );
            """
        )


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def fail(status, message):
    return jsonify({"error": message}), status


def find_cart(conn, cart_id):
    row = conn.execute("SELECT id FROM carts WHERE id = ?", (cart_id,)).fetchone()
    return row[0] if row else None


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024


@app.post("/create_cart")
def create_cart():
    cart_id = str(uuid.uuid4())
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    with connect() as conn:
        conn.execute("INSERT INTO carts (id, created_at) VALUES (?, ?)", (cart_id, now))
    return jsonify({"cart_id": cart_id}), 201


@app.post("/add_to_cart")
def add_to_cart():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return fail(400, "cart_id (string), item_id (integer) and count (integer) are required")
    cart_id, item_id, count = body.get("cart_id"), body.get("item_id"), body.get("count")
    if not isinstance(cart_id, str) or not is_int(item_id) or not is_int(count):
        return fail(400, "cart_id (string), item_id (integer) and count (integer) are required")
    if abs(count) > MAX_COUNT or abs(item_id) > 2**63 - 1:
        return fail(400, "count is out of range")
    with write_lock, connect() as conn:
        cart = find_cart(conn, cart_id)
        if cart is None:
            return fail(404, "cart not found")
        row = conn.execute(
            "SELECT count FROM cart_items WHERE cart_id = ? AND item_id = ?", (cart, item_id)
        ).fetchone()
        total = (row[0] if row else 0) + count
        if total < 0:
            return fail(400, "cannot remove more items than the cart holds")
        if total > MAX_COUNT:
            return fail(400, "count is out of range")
        if total == 0:
            conn.execute("DELETE FROM cart_items WHERE cart_id = ? AND item_id = ?", (cart, item_id))
        else:
            conn.execute(
                "INSERT INTO cart_items (cart_id, item_id, count) VALUES (?, ?, ?) "
                "ON CONFLICT (cart_id, item_id) DO UPDATE SET count = excluded.count",
                (cart, item_id, total),
            )
    return jsonify({"message": "Item updated"}), 200


@app.post("/retrieve_cart")
def retrieve_cart():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("cart_id"), str):
        return fail(400, "cart_id (string) is required")
    with connect() as conn:
        cart = find_cart(conn, body["cart_id"])
        if cart is None:
            return fail(404, "cart not found")
        rows = conn.execute(
            "SELECT item_id, count FROM cart_items WHERE cart_id = ? AND count > 0 ORDER BY item_id", (cart,)
        ).fetchall()
    return jsonify({"cart_id": cart, "items": [{"item_id": r[0], "count": r[1]} for r in rows]}), 200


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
