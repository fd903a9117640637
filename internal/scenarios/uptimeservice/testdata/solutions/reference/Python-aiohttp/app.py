import asyncio
import datetime
import hashlib
import hmac
import json
import os
import secrets
import sqlite3

from aiohttp import web

DB_PATH = "db.sqlite3"
MAX_FIELD = 1024
KEY = (os.environ.get("APP_SECRET") or secrets.token_hex(32)).encode()
INVALID = {"error": "Invalid request payload"}


def token_key(token):
    """What the database keeps instead of a token: a keyed hash, which cannot be read back as the token
    but can still be looked up."""
    return hmac.new(KEY, token.encode("utf-8"), hashlib.sha256).hexdigest()


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


def heartbeat(body):
    if not isinstance(body, dict):
        return 400, INVALID
    service_id, token = body.get("serviceId"), body.get("token")
    if not isinstance(service_id, str) or not isinstance(token, str):
        return 400, INVALID
    if not service_id or not token or len(service_id) > MAX_FIELD or len(token) > MAX_FIELD:
        return 400, INVALID
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with connect() as conn:
        conn.execute(
            "INSERT INTO services (service_id, token_hash, last_notification) VALUES (?, ?, ?) "
            "ON CONFLICT (service_id, token_hash) DO UPDATE SET last_notification = excluded.last_notification",
            (service_id, token_key(token), now),
        )
    return 200, {"message": "Heartbeat registered successfully"}


def services(body):
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str):
        return 400, INVALID
    with connect() as conn:
        rows = conn.execute(
            "SELECT service_id, last_notification FROM services WHERE token_hash = ? ORDER BY service_id",
            (token_key(token),),
        ).fetchall()
    return 200, [{"serviceId": s, "lastNotification": t} for s, t in rows]


async def read_json(request):
    try:
        return json.loads(await request.read())
    except ValueError:
        return None


async def heartbeat_route(request):
    status, answer = await asyncio.to_thread(heartbeat, await read_json(request))
    return web.json_response(answer, status=status)


async def services_route(request):
    status, answer = await asyncio.to_thread(services, await read_json(request))
    return web.json_response(answer, status=status)


def make_app():
    app = web.Application(client_max_size=64 * 1024)
    app.router.add_post("/heartbeat", heartbeat_route)
    app.router.add_post("/services", services_route)
    return app


if __name__ == "__main__":
    init_db()
    web.run_app(make_app(), host="0.0.0.0", port=5000)
