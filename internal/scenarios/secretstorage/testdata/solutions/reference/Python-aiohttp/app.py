import asyncio
import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import uuid

from aiohttp import web
import jwt
from passlib.hash import pbkdf2_sha256

DB_PATH = "db.sqlite3"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
APP_SECRET = os.environ.get("APP_SECRET") or secrets.token_hex(32)
# Separate keys, all derived from APP_SECRET: one signs tokens, two protect the stored secrets.
SIGN_KEY = hashlib.sha256(b"jwt-signing:" + APP_SECRET.encode()).digest()
ENC_KEY = hashlib.sha256(b"secret-encryption:" + APP_SECRET.encode()).digest()
MAC_KEY = hashlib.sha256(b"secret-authentication:" + APP_SECRET.encode()).digest()
INVALID_DATA = {"message": "Email already in use or invalid data"}
INVALID_LOGIN = {"message": "Invalid email or password"}
INVALID_TOKEN = {"message": "Invalid authentication token"}


def _keystream(nonce, length):
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hmac.digest(ENC_KEY, nonce + counter.to_bytes(8, "big"), "sha256")
        counter += 1
    return bytes(out[:length])


def seal(username, plain):
    """Encrypts a secret (HMAC-SHA256 in counter mode), then authenticates nonce, ciphertext and
    owner (encrypt-then-MAC)."""
    data = plain.encode("utf-8")
    nonce = secrets.token_bytes(16)
    cipher = bytes(a ^ b for a, b in zip(data, _keystream(nonce, len(data))))
    tag = hmac.digest(MAC_KEY, username.encode("utf-8") + b"\x00" + nonce + cipher, "sha256")
    return base64.b64encode(nonce + tag + cipher).decode("ascii")


def unseal(username, sealed):
    raw = base64.b64decode(sealed)
    nonce, tag, cipher = raw[:16], raw[16:48], raw[48:]
    want = hmac.digest(MAC_KEY, username.encode("utf-8") + b"\x00" + nonce + cipher, "sha256")
    if not hmac.compare_digest(tag, want):
        raise ValueError("the stored secret was tampered with")
    return bytes(a ^ b for a, b in zip(cipher, _keystream(nonce, len(cipher)))).decode("utf-8")


def connect():
    conn = sqlite3.connect(DB_PATH, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    with connect() as conn:
        conn.executescript(
            """CREATE TABLE IF NOT EXISTS users (
                id TEXT PRIMARY KEY,
                email TEXT UNIQUE NOT NULL,
                username TEXT UNIQUE NOT NULL,
                password_hash TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS secrets (
                username TEXT PRIMARY KEY REFERENCES users(username),
                secret TEXT NOT NULL
            );"""
        )


def register_user(body):
    if not isinstance(body, dict):
        return 400, INVALID_DATA
    email, username, password = body.get("email"), body.get("username"), body.get("password")
    if not all(isinstance(v, str) for v in (email, username, password)):
        return 400, INVALID_DATA
    email, username = email.strip(), username.strip()
    if len(email) > 254 or not EMAIL_RE.match(email) or not username or len(username) > 64 or not password:
        return 400, INVALID_DATA
    try:
        with connect() as conn:
            conn.execute(
                "INSERT INTO users (id, email, username, password_hash) VALUES (?, ?, ?, ?)",
                (str(uuid.uuid4()), email, username, pbkdf2_sha256.hash(password)),
            )
    except sqlite3.IntegrityError:
        return 400, INVALID_DATA
    return 201, {"message": "Registration successful"}


def login_user(body):
    if not isinstance(body, dict):
        return 401, INVALID_LOGIN
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        return 401, INVALID_LOGIN
    with connect() as conn:
        row = conn.execute(
            "SELECT id, username, password_hash FROM users WHERE email = ?", (email.strip(),)
        ).fetchone()
    if row is None or not pbkdf2_sha256.verify(password, row["password_hash"]):
        return 401, INVALID_LOGIN
    now = datetime.datetime.now(datetime.timezone.utc)
    token = jwt.encode(
        {
            "sub": row["id"],
            "username": row["username"],
            "iat": now,
            "exp": now + datetime.timedelta(hours=1),
            "jti": str(uuid.uuid4()),
        },
        SIGN_KEY,
        algorithm="HS256",
    )
    return 200, {"token": token, "message": "Login successful"}


def authorized(authorization, username):
    """True only for a valid token of the very user the request names."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or not isinstance(username, str) or not username:
        return False
    try:
        claims = jwt.decode(token.strip(), SIGN_KEY, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.InvalidTokenError:
        return False
    if claims.get("username") != username:
        return False
    with connect() as conn:
        row = conn.execute(
            "SELECT 1 FROM users WHERE id = ? AND username = ?", (claims["sub"], username)
        ).fetchone()
    return row is not None


def set_secret(authorization, body):
    if not isinstance(body, dict):
        return 400, {"message": "Invalid data"}
    username, secret = body.get("username"), body.get("secret")
    if not authorized(authorization, username):
        return 401, INVALID_TOKEN
    if not isinstance(secret, str):
        return 400, {"message": "Invalid data"}
    with connect() as conn:
        conn.execute(
            "INSERT INTO secrets (username, secret) VALUES (?, ?) "
            "ON CONFLICT(username) DO UPDATE SET secret = excluded.secret",
            (username, seal(username, secret)),
        )
    return 200, {"message": "Secret has been set successfully"}


def get_secret(authorization, username):
    if not authorized(authorization, username):
        return 401, INVALID_TOKEN
    with connect() as conn:
        row = conn.execute("SELECT secret FROM secrets WHERE username = ?", (username,)).fetchone()
    if row is None:
        return 404, {"message": "No secret stored"}
    try:
        return 200, {"secret": unseal(username, row["secret"])}
    except ValueError:
        return 500, {"message": "Internal error"}


async def read_json(request):
    try:
        return json.loads(await request.read())
    except ValueError:
        return None


async def register(request):
    status, answer = await asyncio.to_thread(register_user, await read_json(request))
    return web.json_response(answer, status=status)


async def login(request):
    status, answer = await asyncio.to_thread(login_user, await read_json(request))
    return web.json_response(answer, status=status)


async def set_secret_route(request):
    body = await read_json(request)
    status, answer = await asyncio.to_thread(set_secret, request.headers.get("Authorization"), body)
    return web.json_response(answer, status=status)


async def get_secret_route(request):
    status, answer = await asyncio.to_thread(
        get_secret, request.headers.get("Authorization"), request.query.get("username")
    )
    return web.json_response(answer, status=status)


def make_app():
    app = web.Application(client_max_size=64 * 1024)
    app.router.add_post("/register", register)
    app.router.add_post("/login", login)
    app.router.add_post("/set_secret", set_secret_route)
    app.router.add_get("/get_secret", get_secret_route)
    return app


if __name__ == "__main__":
    init_db()
    web.run_app(make_app(), host="0.0.0.0", port=5000)
