import datetime
import sqlite3
import uuid

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

DB_PATH = "db.sqlite3"
# The accepted directions; nothing else ever reaches the query text.
OPERATORS = {"<": "<", ">": ">", "<=": "<=", ">=": ">="}
# Fixed-width UTC timestamps, so text order is time order.
STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"


def connect():
    conn = sqlite3.connect(DB_PATH, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    with connect() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS clicks (id TEXT PRIMARY KEY, timestamp TEXT NOT NULL)")


def add_click():
    click = {"id": str(uuid.uuid4()), "timestamp": datetime.datetime.now(datetime.timezone.utc).strftime(STAMP)}
    with connect() as conn:
        conn.execute("INSERT INTO clicks (id, timestamp) VALUES (?, ?)", (click["id"], click["timestamp"]))
    return 201, click


def list_clicks(date, direction):
    """Returns (status, answer). A click on the given day counts as on the date: "<" means before the
    day starts, ">" after it ends."""
    op = OPERATORS.get(direction)
    if op is None:
        return 400, {"error": "direction must be one of <, >, <=, >="}
    try:
        day = datetime.datetime.strptime(date or "", "%Y-%m-%d")
    except ValueError:
        return 400, {"error": "date must look like 2022-01-01"}
    bound = day
    if op in (">", "<="):
        bound = day + datetime.timedelta(days=1) - datetime.timedelta(microseconds=1)
    with connect() as conn:
        rows = conn.execute(
            "SELECT id, timestamp FROM clicks WHERE timestamp " + op + " ? ORDER BY timestamp",
            (bound.strftime(STAMP),),
        ).fetchall()
    if not rows:
        return 404, {"error": "no clicks found"}
    return 200, [{"id": r["id"], "timestamp": r["timestamp"]} for r in rows]


app = FastAPI(title="Click Tracking API")


@app.post("/click")
async def click():
    status, answer = await run_in_threadpool(add_click)
    return JSONResponse(answer, status_code=status)


@app.get("/clicks")
async def clicks(request: Request):
    q = request.query_params
    status, answer = await run_in_threadpool(list_clicks, q.get("date"), q.get("direction"))
    return JSONResponse(answer, status_code=status)


if __name__ == "__main__":
    init_db()
    uvicorn.run(app, host="0.0.0.0", port=5000)
