import csv
import io
import math
import re
import secrets
import sqlite3
import threading
import time
from html import escape

from flask import Flask, Response, jsonify, request
from passlib.hash import pbkdf2_sha256

DB_PATH = "db.sqlite3"
COOKIE_NAME = "AUTH_COOKIE"
SESSION_TTL = 12 * 3600
EMAIL_RE = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\"]+$")

# Sessions: random token -> (merchant id, expiry time).
sessions = {}
sessions_lock = threading.Lock()


def connect():
    conn = sqlite3.connect(DB_PATH, timeout=10)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def init_db():
    with connect() as conn:
        conn.executescript(
            """
            CREATE TABLE IF NOT EXISTS merchants (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                email TEXT UNIQUE NOT NULL,
                name TEXT NOT NULL,
                password_hash TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS wares (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                merchant_id INTEGER NOT NULL REFERENCES merchants(id),
                name TEXT NOT NULL,
                description TEXT NOT NULL,
                price REAL NOT NULL
            );
            """
        )


def error(status, message):
    return jsonify({"error": message}), status


def current_merchant():
    """The logged-in merchant's id, or None."""
    token = request.cookies.get(COOKIE_NAME)
    if not token:
        return None
    with sessions_lock:
        session = sessions.get(token)
        if session is None:
            return None
        if time.time() > session[1]:
            del sessions[token]
            return None
        return session[0]


def parse_wares(text):
    """Rows of name, description, price; a leading header row is skipped. Raises ValueError."""
    wares = []
    for index, row in enumerate(csv.reader(io.StringIO(text), skipinitialspace=True)):
        if not row:
            continue
        if len(row) != 3:
            raise ValueError("a row must have 3 fields")
        name, description, price_text = row
        try:
            price = float(price_text.strip())
        except ValueError:
            if index == 0 and name.strip().lower() == "name" and price_text.strip().lower() == "price":
                continue  # a header row
            raise
        if math.isnan(price) or math.isinf(price) or price < 0 or not name.strip():
            raise ValueError("invalid ware")
        wares.append((name, description, price))
    if not wares:
        raise ValueError("no wares")
    return wares


def price_param(name):
    value = request.args.get(name, "")
    if value == "":
        return None
    price = float(value)
    if math.isnan(price):
        raise ValueError(name)
    return price


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024


@app.post("/merchants/register")
def register():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error(400, "Invalid input")
    email, name, password = body.get("email"), body.get("name"), body.get("password")
    if not all(isinstance(v, str) for v in (email, name, password)):
        return error(400, "Invalid input")
    email = email.strip()
    if not EMAIL_RE.match(email) or len(email) > 254 or not password or not name.strip():
        return error(400, "Invalid input")
    try:
        with connect() as conn:
            conn.execute(
                "INSERT INTO merchants (email, name, password_hash) VALUES (?, ?, ?)",
                (email, name, pbkdf2_sha256.hash(password)),
            )
    except sqlite3.IntegrityError:
        return error(400, "Invalid input")
    return jsonify({"message": "Merchant registered successfully"}), 201


@app.post("/merchants/login")
def login():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("email"), str) or not isinstance(body.get("password"), str):
        return error(401, "Invalid email or password")
    with connect() as conn:
        row = conn.execute(
            "SELECT id, password_hash FROM merchants WHERE email = ?", (body["email"].strip(),)
        ).fetchone()
    if row is None or not pbkdf2_sha256.verify(body["password"], row[1]):
        return error(401, "Invalid email or password")
    token = secrets.token_hex(32)
    now = time.time()
    with sessions_lock:
        for key in [k for k, v in sessions.items() if now > v[1]]:
            del sessions[key]
        sessions[token] = (row[0], now + SESSION_TTL)
    resp = jsonify({"message": "Login successful"})
    resp.set_cookie(COOKIE_NAME, token, max_age=SESSION_TTL, path="/", httponly=True, samesite="Strict")
    return resp, 200


@app.post("/merchants/upload-wares")
def upload_wares():
    merchant_id = current_merchant()
    if merchant_id is None:
        return error(401, "Unauthorized")
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("csv"), str):
        return error(400, "Invalid CSV format")
    try:
        wares = parse_wares(body["csv"])
    except (ValueError, csv.Error):
        return error(400, "Invalid CSV format")
    with connect() as conn:
        conn.executemany(
            "INSERT INTO wares (merchant_id, name, description, price) VALUES (?, ?, ?, ?)",
            [(merchant_id, name, description, price) for name, description, price in wares],
        )
    return jsonify({"message": "Wares uploaded successfully"}), 200


@app.get("/wares")
def list_wares():
    if current_merchant() is None:
        return error(401, "Unauthorized")
    query = (
        "SELECT w.name, w.price, w.description, m.email FROM wares w "
        "JOIN merchants m ON m.id = w.merchant_id WHERE 1 = 1"
    )
    args = []
    try:
        for name, condition in (("minPrice", " AND w.price >= ?"), ("maxPrice", " AND w.price <= ?")):
            price = price_param(name)
            if price is not None:
                query += condition
                args.append(price)
    except ValueError:
        return error(400, "invalid price filter")
    with connect() as conn:
        rows = conn.execute(query + " ORDER BY w.id", args).fetchall()
    table = "".join(
        "<tr><td>{}</td><td>{:.2f}</td><td>{}</td><td>{}</td></tr>\n".format(
            escape(name), price, escape(description), escape(email)
        )
        for name, price, description, email in rows
    )
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Wares</title></head><body>\n<table>\n'
        "<tr><th>Name</th><th>Price</th><th>Description</th><th>Merchant</th></tr>\n" + table + "</table>\n</body></html>\n"
    )
    resp = Response(page, status=200, mimetype="text/html")
    resp.headers["Content-Security-Policy"] = "default-src 'none'"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
