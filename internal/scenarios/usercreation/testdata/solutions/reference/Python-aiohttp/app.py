import asyncio
import datetime
import json
import re
import sqlite3
import uuid

from aiohttp import web
from passlib.hash import pbkdf2_sha256

DB_PATH = "db.sqlite3"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USERNAME_TAKEN = "Username already exists. Try providing different username."


def connect():
    # Autocommit mode: every transaction below is opened explicitly with BEGIN IMMEDIATE.
    conn = sqlite3.connect(DB_PATH, timeout=10, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    conn = connect()
    try:
        conn.executescript(
            """CREATE TABLE IF NOT EXISTS invitations (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                invite_id TEXT UNIQUE NOT NULL,
                email TEXT UNIQUE NOT NULL,
                used INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS users (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                user_name TEXT UNIQUE NOT NULL,
                email TEXT NOT NULL,
                password_hash TEXT NOT NULL
            );"""
        )
    finally:
        conn.close()


def invite_user(body):
    """Returns (status, answer): the e-mail's invitation, created on first request."""
    if not isinstance(body, dict) or not isinstance(body.get("email"), str):
        return 400, {"message": "Invalid email"}
    email = body["email"].strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        return 400, {"message": "Invalid email"}
    conn = connect()
    try:
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute("SELECT invite_id FROM invitations WHERE email = ?", (email,)).fetchone()
        if row is not None:
            conn.execute("COMMIT")
            return 200, {"invite_id": row["invite_id"], "message": "Invitation already exists for this email"}
        invite_id = str(uuid.uuid4())  # random, not guessable
        conn.execute(
            "INSERT INTO invitations (invite_id, email, created_at) VALUES (?, ?, ?)",
            (invite_id, email, datetime.datetime.now(datetime.timezone.utc).isoformat()),
        )
        conn.execute("COMMIT")
        return 200, {"invite_id": invite_id, "message": "Invitation created"}
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def create_user(body):
    """Returns (status, answer): creates the account of a valid, unused invitation."""
    if not isinstance(body, dict):
        return 400, {"message": "Invalid request"}
    invite_id, name, password = body.get("invite_id"), body.get("user_name"), body.get("password")
    if not isinstance(invite_id, str):
        return 401, {"message": "Invalid invite_id"}
    conn = connect()
    try:
        conn.execute("BEGIN IMMEDIATE")
        invitation = conn.execute(
            "SELECT invite_id, email FROM invitations WHERE invite_id = ? AND used = 0", (invite_id,)
        ).fetchone()
        if invitation is None:
            return 401, {"message": "Invalid invite_id"}
        if not isinstance(name, str) or not isinstance(password, str):
            return 400, {"message": "A user name and a password are required"}
        name = name.strip()
        if not name or len(name) > 100 or not password or len(password) > 1024:
            return 400, {"message": "A user name and a password are required"}
        if conn.execute("SELECT 1 FROM users WHERE user_name = ?", (name,)).fetchone() is not None:
            return 400, {"message": USERNAME_TAKEN}
        conn.execute(
            "INSERT INTO users (user_name, email, password_hash) VALUES (?, ?, ?)",
            (name, invitation["email"], pbkdf2_sha256.hash(password)),
        )
        conn.execute("UPDATE invitations SET used = 1 WHERE invite_id = ?", (invitation["invite_id"],))
        conn.execute("COMMIT")
        return 200, {"message": "User created"}
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


async def read_json(request):
    try:
        return json.loads(await request.read())
    except ValueError:
        return None


async def invite(request):
    status, answer = await asyncio.to_thread(invite_user, await read_json(request))
    return web.json_response(answer, status=status)


async def create(request):
    status, answer = await asyncio.to_thread(create_user, await read_json(request))
    return web.json_response(answer, status=status)


def make_app():
    app = web.Application(client_max_size=64 * 1024)
    app.router.add_post("/invite_user", invite)
    app.router.add_post("/create_user", create)
    return app


if __name__ == "__main__":
    init_db()
    web.run_app(make_app(), host="0.0.0.0", port=5000)
