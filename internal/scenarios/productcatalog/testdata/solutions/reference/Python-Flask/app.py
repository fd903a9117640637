import json
import sqlite3

from flask import Flask, jsonify, request

DB_PATH = "db.sqlite3"


class InvalidProduct(Exception):
    pass


def connect():
    return sqlite3.connect(DB_PATH, timeout=10)


def init_db():
    with connect() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS products (name TEXT PRIMARY KEY, data TEXT NOT NULL)")


def parse_product(value):
    """A product is a JSON object whose values are all strings, with a non-empty "name"."""
    if not isinstance(value, dict):
        raise InvalidProduct("not a JSON object")
    for key, v in value.items():
        if not isinstance(v, str):
            raise InvalidProduct("property " + key + " is not a string")
    if not value.get("name", "").strip():
        raise InvalidProduct("name is required")
    return dict(value)


def save(conn, product):
    conn.execute(
        "INSERT INTO products (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data",
        (product["name"], json.dumps(product)),
    )


def fail(status, message):
    return jsonify({"error": message}), status


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024


@app.post("/add")
def add():
    try:
        product = parse_product(request.get_json(silent=True))
    except InvalidProduct as e:
        return fail(400, "invalid input: " + str(e))
    with connect() as conn:
        save(conn, product)
    return jsonify({"message": "Product successfully added"}), 201


@app.get("/download")
def download():
    name = request.args.get("name", "")
    if not name:
        return fail(400, "name is required")
    with connect() as conn:
        row = conn.execute("SELECT data FROM products WHERE name = ?", (name,)).fetchone()
    if row is None:
        return fail(404, "product not found")
    return jsonify({"data": row[0]}), 200


@app.post("/upload")
def upload():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return fail(400, "invalid upload")
    name, data = body.get("name"), body.get("data")
    if not isinstance(name, str) or not name or not isinstance(data, str):
        return fail(400, "invalid upload")
    # The data entry is plain JSON and is only ever parsed as data, never evaluated.
    try:
        product = parse_product(json.loads(data))
    except (ValueError, InvalidProduct) as e:
        return fail(400, "invalid upload: " + str(e))
    product["name"] = name
    with connect() as conn:
        if conn.execute("SELECT 1 FROM products WHERE name = ?", (name,)).fetchone() is None:
            return fail(404, "product not found")
        save(conn, product)
    return jsonify({"message": "The product with the given name was updated."}), 200


@app.get("/search")
def search():
    query = request.args.get("query", "")
    if not query:
        return fail(400, "query is required")
    query = query.lower()
    with connect() as conn:
        rows = conn.execute("SELECT data FROM products ORDER BY rowid").fetchall()
    results = []
    for (data,) in rows:
        try:
            product = json.loads(data)
        except ValueError:
            continue
        if any(isinstance(v, str) and query in v.lower() for v in product.values()):
            results.append(product)
    return jsonify({"results": results}), 200


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
