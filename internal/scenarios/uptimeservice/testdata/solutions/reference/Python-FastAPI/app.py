import datetime
import hashlib
import hmac
import json
import os
import secrets
import sqlite3

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

DB_PATH = "db.sqlite3"
MAX_BODY = 64 * 1024
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


app = FastAPI(title="Service Monitoring API")


async def read_json(request):
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


@app.post("/heartbeat")
async def heartbeat_route(request: Request):
    status, answer = await run_in_threadpool(heartbeat, await read_json(request))
    return JSONResponse(answer, status_code=status)


@app.post("/services")
async def services_route(request: Request):
    status, answer = await run_in_threadpool(services, await read_json(request))
    return JSONResponse(answer, status_code=status)


if __name__ == "__main__":
    init_db()
    uvicorn.run(app, host="0.0.0.0", port=5000)
