import asyncio
import csv
import html
import io
import json
import math
import re
import secrets
import sqlite3
import threading
import time

from aiohttp import web
from passlib.hash import pbkdf2_sha256

DB_PATH = "db.sqlite3"
COOKIE = "AUTH_COOKIE"
SESSION_SECONDS = 12 * 3600
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'none'", "X-Content-Type-Options": "nosniff"}

# Random session tokens -> (merchant id, expiry); a token says nothing about who holds it.
sessions = {}
sessions_lock = threading.Lock()


def connect():
    conn = sqlite3.connect(DB_PATH, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    with connect() as conn:
        conn.executescript(
            """CREATE TABLE IF NOT EXISTS merchants (
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
            );"""
        )


def register_merchant(body):
    if not isinstance(body, dict):
        return 400, {"error": "Invalid input"}
    email, name, password = body.get("email"), body.get("name"), body.get("password")
    if not all(isinstance(v, str) for v in (email, name, password)):
        return 400, {"error": "Invalid input"}
    email = email.strip()
    if len(email) > 254 or not EMAIL_RE.match(email) or not name.strip() or not password:
        return 400, {"error": "Invalid input"}
    try:
        with connect() as conn:
            conn.execute(
                "INSERT INTO merchants (email, name, password_hash) VALUES (?, ?, ?)",
                (email, name, pbkdf2_sha256.hash(password)),
            )
    except sqlite3.IntegrityError:
        return 400, {"error": "Invalid input"}
    return 201, {"message": "Merchant registered successfully"}


def login_merchant(body):
    """Returns (status, answer, session token or None)."""
    email = body.get("email") if isinstance(body, dict) else None
    password = body.get("password") if isinstance(body, dict) else None
    if not isinstance(email, str) or not isinstance(password, str):
        return 401, {"error": "Invalid email or password"}, None
    with connect() as conn:
        row = conn.execute("SELECT id, password_hash FROM merchants WHERE email = ?", (email.strip(),)).fetchone()
    if row is None or not pbkdf2_sha256.verify(password, row["password_hash"]):
        return 401, {"error": "Invalid email or password"}, None
    token = secrets.token_hex(32)
    now = time.time()
    with sessions_lock:
        for k in [k for k, (_, expires) in sessions.items() if expires < now]:
            del sessions[k]
        sessions[token] = (row["id"], now + SESSION_SECONDS)
    return 200, {"message": "Login successful"}, token


def merchant_of(token):
    """The logged-in merchant's id, or None."""
    if not token:
        return None
    with sessions_lock:
        session = sessions.get(token)
        if session is None:
            return None
        if session[1] < time.time():
            del sessions[token]
            return None
        return session[0]


def parse_wares(text):
    """Rows of name, description, price (an optional header row is skipped); None when invalid."""
    wares = []
    try:
        rows = list(csv.reader(io.StringIO(text), skipinitialspace=True))
    except csv.Error:
        return None
    for i, row in enumerate(rows):
        if not row:
            continue
        if len(row) != 3:
            return None
        name, description, price = row
        try:
            value = float(price.strip())
        except ValueError:
            if i == 0 and name.strip().lower() == "name" and price.strip().lower() == "price":
                continue
            return None
        if not math.isfinite(value) or value < 0 or not name.strip():
            return None
        wares.append((name, description, value))
    return wares or None


def upload_wares(merchant_id, body):
    if merchant_id is None:
        return 401, {"error": "Unauthorized"}
    text = body.get("csv") if isinstance(body, dict) else None
    wares = parse_wares(text) if isinstance(text, str) else None
    if wares is None:
        return 400, {"error": "Invalid CSV format"}
    with connect() as conn:
        conn.executemany(
            "INSERT INTO wares (merchant_id, name, description, price) VALUES (?, ?, ?, ?)",
            [(merchant_id, n, d, p) for n, d, p in wares],
        )
    return 200, {"message": "Wares uploaded successfully"}


def price_param(value, name):
    if value is None or value == "":
        return None
    try:
        price = float(value)
    except ValueError:
        raise ValueError("invalid " + name)
    if math.isnan(price):
        raise ValueError("invalid " + name)
    return price


def wares_page(min_price, max_price):
    query = (
        "SELECT w.name, w.price, w.description, m.email FROM wares w JOIN merchants m ON m.id = w.merchant_id "
        "WHERE 1 = 1"
    )
    args = []
    if min_price is not None:
        query += " AND w.price >= ?"
        args.append(min_price)
    if max_price is not None:
        query += " AND w.price <= ?"
        args.append(max_price)
    with connect() as conn:
        rows = conn.execute(query + " ORDER BY w.id", args).fetchall()
    cells = "".join(
        "<tr><td>" + html.escape(r["name"]) + "</td><td>" + format(r["price"], ".2f") + "</td><td>"
        + html.escape(r["description"]) + "</td><td>" + html.escape(r["email"]) + "</td></tr>\n"
        for r in rows
    )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Wares</title></head><body>\n<table>\n'
        "<tr><th>Name</th><th>Price</th><th>Description</th><th>Merchant</th></tr>\n" + cells + "</table>\n"
        "</body></html>\n"
    )


async def read_json(request):
    try:
        return json.loads(await request.read())
    except ValueError:
        return None


async def register(request):
    status, answer = await asyncio.to_thread(register_merchant, await read_json(request))
    return web.json_response(answer, status=status)


async def login(request):
    status, answer, token = await asyncio.to_thread(login_merchant, await read_json(request))
    response = web.json_response(answer, status=status)
    if token is not None:
        response.set_cookie(COOKIE, token, max_age=SESSION_SECONDS, path="/", httponly=True, samesite="Strict")
    return response


async def upload(request):
    merchant_id = merchant_of(request.cookies.get(COOKIE))
    status, answer = await asyncio.to_thread(upload_wares, merchant_id, await read_json(request))
    return web.json_response(answer, status=status)


async def wares(request):
    if merchant_of(request.cookies.get(COOKIE)) is None:
        return web.json_response({"error": "Unauthorized"}, status=401)
    try:
        low = price_param(request.query.get("minPrice"), "minPrice")
        high = price_param(request.query.get("maxPrice"), "maxPrice")
    except ValueError as e:
        return web.json_response({"error": str(e)}, status=400)
    page = await asyncio.to_thread(wares_page, low, high)
    return web.Response(text=page, content_type="text/html", headers=PAGE_HEADERS)


def make_app():
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post("/merchants/register", register)
    app.router.add_post("/merchants/login", login)
    app.router.add_post("/merchants/upload-wares", upload)
    app.router.add_get("/wares", wares)
    return app


if __name__ == "__main__":
    init_db()
    web.run_app(make_app(), host="0.0.0.0", port=5000)
