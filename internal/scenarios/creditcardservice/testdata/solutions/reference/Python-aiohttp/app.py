import asyncio
import json
import sqlite3

from aiohttp import web

DB_PATH = "db.sqlite3"
MAX_PHONES = 100


def connect():
    return sqlite3.connect(DB_PATH, timeout=10)


def init_db():
    with connect() as conn:
        conn.execute(
            """CREATE TABLE IF NOT EXISTS associations (
                credit_card TEXT NOT NULL,
                phone TEXT NOT NULL,
                PRIMARY KEY (credit_card, phone)
            )"""
        )


def associate_card(body):
    if not isinstance(body, dict):
        return 400, {"error": "invalid request"}
    card, phone = body.get("credit_card"), body.get("phone")
    if not isinstance(card, str) or not isinstance(phone, str) or not card.strip() or not phone.strip():
        return 400, {"error": "credit_card and phone are required"}
    with connect() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO associations (credit_card, phone) VALUES (?, ?)", (card.strip(), phone.strip())
        )
    return 201, {"message": "association created"}


def retrieve_cards(body):
    """The cards associated with every one of the given phone numbers."""
    phones = body.get("phone_numbers") if isinstance(body, dict) else None
    if not isinstance(phones, list) or not all(isinstance(p, str) for p in phones):
        return 400, {"error": "phone_numbers must be an array of strings"}
    # A lookup must name at least one phone: an empty set would otherwise match every card.
    distinct = sorted({p.strip() for p in phones})
    if not distinct or len(phones) > MAX_PHONES or "" in distinct:
        return 400, {"error": "phone_numbers must list 1 to 100 phone numbers"}
    placeholders = ",".join("?" for _ in distinct)
    with connect() as conn:
        rows = conn.execute(
            "SELECT credit_card FROM associations WHERE phone IN (" + placeholders + ") "
            "GROUP BY credit_card HAVING COUNT(DISTINCT phone) = ? ORDER BY credit_card",
            (*distinct, len(distinct)),
        ).fetchall()
    if not rows:
        return 404, {"error": "no cards found"}
    return 200, {"card_numbers": [r[0] for r in rows]}


async def read_json(request):
    try:
        return json.loads(await request.read())
    except ValueError:
        return None


async def associate(request):
    status, answer = await asyncio.to_thread(associate_card, await read_json(request))
    return web.json_response(answer, status=status)


async def retrieve(request):
    status, answer = await asyncio.to_thread(retrieve_cards, await read_json(request))
    return web.json_response(answer, status=status)


def make_app():
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post("/associate_card", associate)
    app.router.add_post("/retrieve_cards", retrieve)
    return app


if __name__ == "__main__":
    init_db()
    web.run_app(make_app(), host="0.0.0.0", port=5000)
