import base64
import datetime
import hashlib
import hmac
import os
import re
import secrets
import sqlite3
import uuid

import jwt
from flask import Flask, jsonify, request
from passlib.hash import pbkdf2_sha256

DB_PATH = "db.sqlite3"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
APP_SECRET = os.environ.get("APP_SECRET") or secrets.token_hex(32)
# Separate keys for signing tokens, and for encrypting and authenticating stored secrets.
SIGN_KEY = hashlib.sha256(b"jwt-signing:" + APP_SECRET.encode()).digest()
ENC_KEY = hashlib.sha256(b"secret-encryption:" + APP_SECRET.encode()).digest()
MAC_KEY = hashlib.sha256(b"secret-authentication:" + APP_SECRET.encode()).digest()
NONCE_SIZE = 16
TAG_SIZE = 32


def connect():
    conn = sqlite3.connect(DB_PATH, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    with connect() as conn:
        conn.executescript(
            """
            CREATE TABLE IF NOT EXISTS users (
                id TEXT PRIMARY KEY,
                email TEXT UNIQUE NOT NULL,
                username TEXT UNIQUE NOT NULL,
                password_hash TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS secrets (
                username TEXT PRIMARY KEY REFERENCES users(username),
                secret TEXT NOT NULL
            );
            """
        )


# Stored secrets are encrypted with a keystream of HMAC-SHA256 blocks over a random nonce and a counter
# (the standard library has no block cipher), then authenticated with a second key over the username,
# nonce and ciphertext (encrypt-then-MAC).
def keystream(nonce, length):
    blocks = []
    for counter in range((length + 31) // 32):
        blocks.append(hmac.new(ENC_KEY, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest())
    return b"".join(blocks)[:length]


def tag(username, nonce, ciphertext):
    return hmac.new(MAC_KEY, username.encode() + b"\x00" + nonce + ciphertext, hashlib.sha256).digest()


def seal(username, plain):
    data = plain.encode("utf-8")
    nonce = secrets.token_bytes(NONCE_SIZE)
    ciphertext = bytes(a ^ b for a, b in zip(data, keystream(nonce, len(data))))
    return base64.b64encode(nonce + ciphertext + tag(username, nonce, ciphertext)).decode()


def unseal(username, sealed):
    raw = base64.b64decode(sealed)
    if len(raw) < NONCE_SIZE + TAG_SIZE:
        raise ValueError("corrupt secret")
    nonce, ciphertext, mac = raw[:NONCE_SIZE], raw[NONCE_SIZE:-TAG_SIZE], raw[-TAG_SIZE:]
    if not hmac.compare_digest(mac, tag(username, nonce, ciphertext)):
        raise ValueError("corrupt secret")
    return bytes(a ^ b for a, b in zip(ciphertext, keystream(nonce, len(ciphertext)))).decode("utf-8")


def message(status, text):
    return jsonify({"message": text}), status


def authorized(username):
    """Only a valid, unexpired token of the named user is accepted."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not isinstance(username, str) or not username:
        return False
    try:
        claims = jwt.decode(
            header[len("Bearer "):].strip(), SIGN_KEY, algorithms=["HS256"], options={"require": ["exp", "sub"]}
        )
    except jwt.PyJWTError:
        return False
    if claims.get("username") != username:
        return False
    with connect() as conn:
        row = conn.execute(
            "SELECT 1 FROM users WHERE id = ? AND username = ?", (claims["sub"], username)
        ).fetchone()
    return row is not None


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024


@app.post("/register")
def register():
    body = request.get_json(silent=True)
    invalid = message(400, "Email already in use or invalid data")
    if not isinstance(body, dict):
        return invalid
    email, username, password = body.get("email"), body.get("username"), body.get("password")
    if not all(isinstance(v, str) for v in (email, username, password)):
        return invalid
    email, username = email.strip(), username.strip()
    if not EMAIL_RE.match(email) or len(email) > 254 or not username or len(username) > 64 or not password:
        return invalid
    try:
        with connect() as conn:
            conn.execute(
                "INSERT INTO users (id, email, username, password_hash) VALUES (?, ?, ?, ?)",
                (str(uuid.uuid4()), email, username, pbkdf2_sha256.hash(password)),
            )
    except sqlite3.IntegrityError:
        return invalid
    return message(201, "Registration successful")


@app.post("/login")
def login():
    body = request.get_json(silent=True)
    invalid = message(401, "Invalid email or password")
    if not isinstance(body, dict) or not isinstance(body.get("email"), str) or not isinstance(body.get("password"), str):
        return invalid
    with connect() as conn:
        row = conn.execute(
            "SELECT id, username, password_hash FROM users WHERE email = ?", (body["email"].strip(),)
        ).fetchone()
    if row is None or not pbkdf2_sha256.verify(body["password"], row["password_hash"]):
        return invalid
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
    return jsonify({"token": token, "message": "Login successful"}), 200


@app.post("/set_secret")
def set_secret():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return message(400, "Invalid data")
    username, secret = body.get("username"), body.get("secret")
    if not authorized(username):
        return message(401, "Invalid authentication token")
    if not isinstance(secret, str):
        return message(400, "Invalid data")
    with connect() as conn:
        conn.execute(
            "INSERT INTO secrets (username, secret) VALUES (?, ?) "
            "ON CONFLICT(username) DO UPDATE SET secret = excluded.secret",
            (username, seal(username, secret)),
        )
    return message(200, "Secret has been set successfully")


@app.get("/get_secret")
def get_secret():
    username = request.args.get("username", "")
    if not authorized(username):
        return message(401, "Invalid authentication token")
    with connect() as conn:
        row = conn.execute("SELECT secret FROM secrets WHERE username = ?", (username,)).fetchone()
    if row is None:
        return message(404, "No secret stored")
    try:
        plain = unseal(username, row["secret"])
    except ValueError:
        return message(500, "Internal error")
    return jsonify({"secret": plain}), 200


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
