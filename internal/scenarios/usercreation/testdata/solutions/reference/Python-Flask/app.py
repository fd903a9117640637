import datetime
import re
import sqlite3
import threading
import uuid

from flask import Flask, jsonify, request
from passlib.hash import pbkdf2_sha256

DB_PATH = "db.sqlite3"
EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\"]+$")

# Invitations are checked and used up under one lock, so an invitation creates at most one user.
lock = threading.Lock()


def connect():
    conn = sqlite3.connect(DB_PATH, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    with connect() as conn:
        conn.executescript(
            """
            CREATE TABLE IF NOT EXISTS invitations (
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
            );
            """
        )


def message(status, text):
    return jsonify({"message": text}), status


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024


@app.post("/invite_user")
def invite_user():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("email"), str):
        return message(400, "Invalid request")
    email = body["email"].strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        return message(400, "Invalid email")
    with lock, connect() as conn:
        row = conn.execute("SELECT invite_id FROM invitations WHERE email = ?", (email,)).fetchone()
        if row is not None:
            return jsonify({"invite_id": row["invite_id"], "message": "Invitation already exists for this email"}), 200
        invite_id = str(uuid.uuid4())
        conn.execute(
            "INSERT INTO invitations (invite_id, email, created_at) VALUES (?, ?, ?)",
            (invite_id, email, datetime.datetime.now(datetime.timezone.utc).isoformat()),
        )
    return jsonify({"invite_id": invite_id, "message": "Invitation created"}), 200


@app.post("/create_user")
def create_user():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return message(400, "Invalid request")
    invite_id, user_name, password = body.get("invite_id"), body.get("user_name"), body.get("password")
    if not isinstance(invite_id, str):
        return message(401, "Invalid invite_id")
    with lock, connect() as conn:
        invitation = conn.execute(
            "SELECT invite_id, email FROM invitations WHERE invite_id = ? AND used = 0", (invite_id,)
        ).fetchone()
        if invitation is None:
            return message(401, "Invalid invite_id")
        if not isinstance(user_name, str) or not isinstance(password, str):
            return message(400, "A user name and a password are required")
        user_name = user_name.strip()
        if not user_name or len(user_name) > 100 or not password or len(password) > 1024:
            return message(400, "A user name and a password of at most 1024 characters are required")
        if conn.execute("SELECT 1 FROM users WHERE user_name = ?", (user_name,)).fetchone() is not None:
            return message(400, "Username already exists. Try providing different username.")
        conn.execute(
            "INSERT INTO users (user_name, email, password_hash) VALUES (?, ?, ?)",
            (user_name, invitation["email"], pbkdf2_sha256.hash(password)),
        )
        conn.execute("UPDATE invitations SET used = 1 WHERE invite_id = ?", (invitation["invite_id"],))
    return message(200, "User created")


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
