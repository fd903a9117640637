import sqlite3

from flask import Flask, jsonify, render_template_string, request

DB_PATH = "db.sqlite3"
MAX_NAME = 200
MAX_TAG = 100
MAX_TAGS = 50
MAX_RESULTS = 1000

# Jinja2 autoescapes every product name written into the page.
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Recommendations</title></head>
<body>
<h1>Recommended products</h1>
<ul>
{% for name in names %}<li>{{ name }}</li>
{% endfor %}</ul>
</body></html>
"""


def connect():
    return sqlite3.connect(DB_PATH, timeout=10)


def init_db():
    with connect() as conn:
        conn.executescript(
            """
            CREATE TABLE IF NOT EXISTS products (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS product_tags (
                product_id INTEGER NOT NULL REFERENCES products(id),
                tag TEXT NOT NULL,
                PRIMARY KEY (product_id, tag)
            );
            CREATE INDEX IF NOT EXISTS product_tags_tag ON product_tags (tag);
            """
        )


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024


@app.post("/recommender")
def post_product():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify({"error": "invalid input"}), 400
    name, tags = body.get("product_name"), body.get("tags")
    if not isinstance(name, str) or not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return jsonify({"error": "invalid input"}), 400
    name = name.strip()
    tags = [t.strip() for t in tags]
    if not name or len(name) > MAX_NAME or not 1 <= len(tags) <= MAX_TAGS:
        return jsonify({"error": "invalid input"}), 400
    if any(not t or len(t) > MAX_TAG for t in tags):
        return jsonify({"error": "invalid input"}), 400
    with connect() as conn:
        product_id = conn.execute("INSERT INTO products (name) VALUES (?)", (name,)).lastrowid
        conn.executemany(
            "INSERT OR IGNORE INTO product_tags (product_id, tag) VALUES (?, ?)", [(product_id, t) for t in tags]
        )
    return jsonify({"message": "Product posted"}), 200


@app.get("/recommender")
def get_products():
    tags = [t.strip() for t in request.args.get("tags", "").split(",") if t.strip()][:MAX_TAGS]
    names = []
    if tags:
        placeholders = ", ".join("?" for _ in tags)
        with connect() as conn:
            rows = conn.execute(
                "SELECT DISTINCT p.id, p.name FROM products p JOIN product_tags t ON t.product_id = p.id "
                "WHERE t.tag IN (" + placeholders + ") ORDER BY p.id LIMIT ?",
                (*tags, MAX_RESULTS),
            ).fetchall()
        names = [r[1] for r in rows]
    resp = app.response_class(render_template_string(PAGE, names=names), status=200, mimetype="text/html")
    resp.headers["Content-Security-Policy"] = "default-src 'self'; script-src 'none'"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
