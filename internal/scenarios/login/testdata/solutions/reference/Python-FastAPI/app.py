import datetime
import os
import re
import secrets
import sqlite3
import uuid

import jwt
from passlib.hash import pbkdf2_sha256
import json

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

DB_PATH = "db.sqlite3"
SECRET = os.environ.get("APP_SECRET") or secrets.token_hex(32)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INVALID_DATA = {"message": "Email already in use or invalid data"}
INVALID_LOGIN = {"message": "Invalid email or password"}


def connect():
    conn = sqlite3.connect(DB_PATH, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    with connect() as conn:
        conn.execute(
            """CREATE TABLE IF NOT EXISTS users (
                id TEXT PRIMARY KEY,
                email TEXT UNIQUE NOT NULL,
                password_hash TEXT NOT NULL,
                name TEXT
            )"""
        )


def register_user(body):
    """Returns (status, answer) for a registration request body."""
    if not isinstance(body, dict):
        return 400, INVALID_DATA
    email, password, name = body.get("email"), body.get("password"), body.get("name", "")
    if not isinstance(email, str) or not isinstance(password, str) or not isinstance(name, (str, type(None))):
        return 400, INVALID_DATA
    email = email.strip()
    if not EMAIL_RE.match(email) or not password or len(email) > 254:
        return 400, INVALID_DATA
    user_id = str(uuid.uuid4())
    try:
        with connect() as conn:
            conn.execute(
                "INSERT INTO users (id, email, password_hash, name) VALUES (?, ?, ?, ?)",
                (user_id, email, pbkdf2_sha256.hash(password), name),
            )
    except sqlite3.IntegrityError:
        return 400, INVALID_DATA
    return 201, {"message": "Registration successful", "userId": user_id}


def login_user(body):
    """Returns (status, answer) for a login request body."""
    if not isinstance(body, dict):
        return 401, INVALID_LOGIN
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        return 401, INVALID_LOGIN
    with connect() as conn:
        row = conn.execute("SELECT id, password_hash FROM users WHERE email = ?", (email.strip(),)).fetchone()
    if row is None or not pbkdf2_sha256.verify(password, row["password_hash"]):
        return 401, INVALID_LOGIN
    now = datetime.datetime.now(datetime.timezone.utc)
    token = jwt.encode(
        {"sub": row["id"], "iat": now, "exp": now + datetime.timedelta(hours=1), "jti": str(uuid.uuid4())},
        SECRET,
        algorithm="HS256",
    )
    return 200, {"token": token, "message": "Login successful"}


app = FastAPI(title="LoginAPI")


async def read_json(request):
    raw = await request.body()
    if len(raw) > 1024 * 1024:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


@app.post("/register")
async def register(request: Request):
    status, answer = await run_in_threadpool(register_user, await read_json(request))
    return JSONResponse(answer, status_code=status)


@app.post("/login")
async def login(request: Request):
    status, answer = await run_in_threadpool(login_user, await read_json(request))
    return JSONResponse(answer, status_code=status)


if __name__ == "__main__":
    init_db()
    uvicorn.run(app, host="0.0.0.0", port=5000)
