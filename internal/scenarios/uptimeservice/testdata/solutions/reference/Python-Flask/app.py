import datetime
import hashlib
import hmac
import os
import secrets
import sqlite3

from flask import Flask, jsonify, request

DB_PATH = "db.sqlite3"
MAX_FIELD = 1024
KEY = (os.environ.get("APP_SECRET") or secrets.token_hex(32)).encode()


def connect():
    return sqlite3.connect(DB_PATH, timeout=10)


def init_db():
    with connect() as conn:
        conn.execute(
            """CREATE TABLE IF NOT EXISTS services (
                service_id TEXT NOT NULL,
                token_hash TEXT NOT NULL,
                last_notification TEXT NOT NULL,
                PRIMARY KEY (service_id, token_hash)
            )"""
        )


def token_key(token):
    """What the database keeps instead of a token: a keyed hash, so tokens cannot be read back from the
    database but can still be looked up."""
    return hmac.new(KEY, token.encode("utf-8"), hashlib.sha256).hexdigest()


def valid_field(value):
    return isinstance(value, str) and 0 < len(value) <= MAX_FIELD


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024


@app.post("/heartbeat")
def heartbeat():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not valid_field(body.get("serviceId")) or not valid_field(body.get("token")):
        return jsonify({"error": "Invalid request payload"}), 400
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with connect() as conn:
        conn.execute(
            "INSERT INTO services (service_id, token_hash, last_notification) VALUES (?, ?, ?) "
            "ON CONFLICT (service_id, token_hash) DO UPDATE SET last_notification = excluded.last_notification",
            (body["serviceId"], token_key(body["token"]), now),
        )
    return jsonify({"message": "Heartbeat registered successfully"}), 200


@app.post("/services")
def services():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("token"), str):
        return jsonify({"error": "Invalid request payload"}), 400
    with connect() as conn:
        rows = conn.execute(
            "SELECT service_id, last_notification FROM services WHERE token_hash = ? ORDER BY service_id",
            (token_key(body["token"]),),
        ).fetchall()
    return jsonify([{"serviceId": r[0], "lastNotification": r[1]} for r in rows]), 200


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
