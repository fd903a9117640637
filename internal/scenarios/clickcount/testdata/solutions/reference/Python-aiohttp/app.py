import datetime
import sqlite3
import uuid

from aiohttp import web

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


async def click(request):
    status, answer = add_click()
    return web.json_response(answer, status=status)


async def clicks(request):
    status, answer = list_clicks(request.query.get("date"), request.query.get("direction"))
    return web.json_response(answer, status=status)


def make_app():
    app = web.Application()
    app.router.add_post("/click", click)
    app.router.add_get("/clicks", clicks)
    return app


if __name__ == "__main__":
    init_db()
    web.run_app(make_app(), host="0.0.0.0", port=5000)
