import asyncio
import datetime
import difflib
import html
import json
import sqlite3
import uuid

from aiohttp import web

DB_PATH = "db.sqlite3"
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'self'; script-src 'none'", "X-Content-Type-Options": "nosniff"}
esc = html.escape


def connect():
    conn = sqlite3.connect(DB_PATH, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    with connect() as conn:
        conn.executescript(
            """CREATE TABLE IF NOT EXISTS entries (
                id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                content TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_modified_by TEXT NOT NULL,
                last_modified_at TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS edits (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                entry_id TEXT NOT NULL REFERENCES entries(id),
                old_content TEXT NOT NULL,
                new_content TEXT NOT NULL,
                modified_by TEXT NOT NULL,
                summary TEXT NOT NULL,
                modified_at TEXT NOT NULL
            );"""
        )


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def as_entry(row):
    return {
        "id": row["id"],
        "title": row["title"],
        "content": row["content"],
        "lastModifiedBy": row["last_modified_by"],
        "lastModifiedAt": row["last_modified_at"],
    }


def find(conn, entry_id):
    return conn.execute(
        "SELECT id, title, content, last_modified_by, last_modified_at FROM entries WHERE id = ?", (entry_id,)
    ).fetchone()


def page(title, body):
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>' + esc(title) + "</title></head><body>\n"
        + body + "</body></html>\n"
    )


def list_page():
    with connect() as conn:
        rows = conn.execute("SELECT id, title FROM entries ORDER BY created_at, title").fetchall()
    items = "".join(
        '<li><a href="/entries/' + esc(r["id"]) + '">' + esc(r["title"]) + "</a></li>\n" for r in rows
    ) or "<li>No entries yet.</li>\n"
    return page("Wiki", "<h1>Wiki entries</h1>\n<ul>" + items + "</ul>\n")


def entry_page(entry_id):
    """The entry's page, or None when there is no such entry. Everything stored is HTML-escaped."""
    with connect() as conn:
        e = find(conn, entry_id)
        if e is None:
            return None
        names = conn.execute(
            "SELECT who FROM (SELECT created_by AS who, 0 AS seq FROM entries WHERE id = ? "
            "UNION ALL SELECT modified_by, seq FROM edits WHERE entry_id = ?) ORDER BY seq",
            (entry_id, entry_id),
        ).fetchall()
    contributors = list(dict.fromkeys(n["who"] for n in names))
    return page(
        e["title"],
        "<h1>" + esc(e["title"]) + "</h1>\n"
        '<div class="content"><pre>' + esc(e["content"]) + "</pre></div>\n"
        "<p>Last edited " + esc(e["last_modified_at"]) + " by " + esc(e["last_modified_by"]) + "</p>\n"
        "<h2>Contributors</h2>\n<ul>" + "".join("<li>" + esc(c) + "</li>\n" for c in contributors) + "</ul>\n"
        '<p><a href="/entries/' + esc(e["id"]) + '/edits">Edit history</a> | <a href="/entries">All entries</a></p>\n',
    )


def edits_page(entry_id):
    with connect() as conn:
        e = find(conn, entry_id)
        if e is None:
            return None
        edits = conn.execute(
            "SELECT old_content, new_content, modified_by, summary, modified_at FROM edits "
            "WHERE entry_id = ? ORDER BY seq",
            (entry_id,),
        ).fetchall()
    blocks = []
    for ed in edits:
        diff = difflib.unified_diff(
            ed["old_content"].splitlines(), ed["new_content"].splitlines(), "before", "after", lineterm=""
        )
        blocks.append(
            '<div class="edit">\n<p><strong>' + esc(ed["summary"]) + "</strong> by " + esc(ed["modified_by"])
            + " on " + esc(ed["modified_at"]) + "</p>\n<pre>" + esc("\n".join(diff)) + "</pre>\n</div>\n"
        )
    return page(
        "History of " + e["title"],
        "<h1>History of " + esc(e["title"]) + "</h1>\n"
        + ("".join(blocks) or "<p>This entry has not been edited yet.</p>\n")
        + '<p><a href="/entries/' + esc(e["id"]) + '">Back to the entry</a></p>\n',
    )


def create_entry(body):
    if not isinstance(body, dict):
        return 400, {"error": "title, content and createdBy are required"}
    title, content, author = body.get("title"), body.get("content"), body.get("createdBy")
    if not all(isinstance(v, str) for v in (title, content, author)) or not title.strip() or not author.strip():
        return 400, {"error": "title, content and createdBy are required"}
    entry_id, at = str(uuid.uuid4()), now()
    with connect() as conn:
        conn.execute(
            "INSERT INTO entries (id, title, content, created_by, created_at, last_modified_by, last_modified_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (entry_id, title, content, author, at, author, at),
        )
    return 201, {"id": entry_id, "title": title, "content": content, "lastModifiedBy": author, "lastModifiedAt": at}


def update_entry(entry_id, body):
    if not isinstance(body, dict):
        return 400, {"error": "content, modifiedBy and summary are required"}
    content, editor, summary = body.get("content"), body.get("modifiedBy"), body.get("summary")
    if not all(isinstance(v, str) for v in (content, editor, summary)) or not editor.strip():
        return 400, {"error": "content, modifiedBy and summary are required"}
    at = now()
    with connect() as conn:
        e = find(conn, entry_id)
        if e is None:
            return 404, {"error": "entry not found"}
        conn.execute(
            "INSERT INTO edits (entry_id, old_content, new_content, modified_by, summary, modified_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (entry_id, e["content"], content, editor, summary, at),
        )
        conn.execute(
            "UPDATE entries SET content = ?, last_modified_by = ?, last_modified_at = ? WHERE id = ?",
            (content, editor, at, entry_id),
        )
        return 200, as_entry(find(conn, entry_id))


async def read_json(request):
    try:
        return json.loads(await request.read())
    except ValueError:
        return None


def html_answer(text):
    if text is None:
        return web.json_response({"error": "entry not found"}, status=404)
    return web.Response(text=text, content_type="text/html", headers=PAGE_HEADERS)


async def list_entries(request):
    return html_answer(await asyncio.to_thread(list_page))


async def create(request):
    status, answer = await asyncio.to_thread(create_entry, await read_json(request))
    return web.json_response(answer, status=status)


async def show(request):
    return html_answer(await asyncio.to_thread(entry_page, request.match_info["entry_id"]))


async def update(request):
    body = await read_json(request)
    status, answer = await asyncio.to_thread(update_entry, request.match_info["entry_id"], body)
    return web.json_response(answer, status=status)


async def history(request):
    return html_answer(await asyncio.to_thread(edits_page, request.match_info["entry_id"]))


def make_app():
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_get("/entries", list_entries)
    app.router.add_post("/entries", create)
    app.router.add_get("/entries/{entry_id}", show)
    app.router.add_put("/entries/{entry_id}", update)
    app.router.add_get("/entries/{entry_id}/edits", history)
    return app


if __name__ == "__main__":
    init_db()
    web.run_app(make_app(), host="0.0.0.0", port=5000)
