import datetime
import difflib
import sqlite3
import uuid

from flask import Flask, jsonify, render_template_string, request

DB_PATH = "db.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
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
);
"""

# Jinja2 autoescapes everything the pages show.
LIST_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Wiki</title></head><body>
<h1>Wiki entries</h1>
<ul>{% for e in entries %}<li><a href="/entries/{{ e.id }}">{{ e.title }}</a></li>
{% else %}<li>No entries yet.</li>{% endfor %}</ul>
</body></html>
"""

ENTRY_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ entry.title }}</title></head><body>
<h1>{{ entry.title }}</h1>
<div class="content"><pre>{{ entry.content }}</pre></div>
<p>Last edited {{ entry.lastModifiedAt }} by {{ entry.lastModifiedBy }}</p>
<h2>Contributors</h2>
<ul>{% for who in contributors %}<li>{{ who }}</li>
{% endfor %}</ul>
<p><a href="/entries/{{ entry.id }}/edits">Edit history</a> | <a href="/entries">All entries</a></p>
</body></html>
"""

EDITS_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>History of {{ entry.title }}</title></head><body>
<h1>History of {{ entry.title }}</h1>
{% for edit in edits %}<div class="edit">
<p><strong>{{ edit.summary }}</strong> by {{ edit.modified_by }} on {{ edit.modified_at }}</p>
<pre>{% for line in edit.diff %}{{ line }}
{% endfor %}</pre>
</div>
{% else %}<p>This entry has not been edited yet.</p>
{% endfor %}<p><a href="/entries/{{ entry.id }}">Back to the entry</a></p>
</body></html>
"""


def connect():
    conn = sqlite3.connect(DB_PATH, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    with connect() as conn:
        conn.executescript(SCHEMA)


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def fail(status, message):
    return jsonify({"error": message}), status


def html(page, **context):
    return app.response_class(render_template_string(page, **context), status=200, mimetype="text/html")


def find_entry(conn, entry_id):
    row = conn.execute(
        "SELECT id, title, content, last_modified_by, last_modified_at FROM entries WHERE id = ?", (entry_id,)
    ).fetchone()
    if row is None:
        return None
    return {
        "id": row["id"],
        "title": row["title"],
        "content": row["content"],
        "lastModifiedBy": row["last_modified_by"],
        "lastModifiedAt": row["last_modified_at"],
    }


def line_diff(before, after):
    lines = difflib.ndiff(before.splitlines(), after.splitlines())
    return [line for line in lines if not line.startswith("? ")]


def strings(body, *keys):
    if not isinstance(body, dict):
        return None
    values = [body.get(k) for k in keys]
    return values if all(isinstance(v, str) for v in values) else None


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024


@app.get("/entries")
def list_entries():
    with connect() as conn:
        rows = conn.execute("SELECT id, title FROM entries ORDER BY created_at, title").fetchall()
    return html(LIST_PAGE, entries=rows)


@app.post("/entries")
def create_entry():
    values = strings(request.get_json(silent=True), "title", "content", "createdBy")
    if values is None or not values[0].strip() or not values[2].strip():
        return fail(400, "title, content and createdBy are required")
    title, content, created_by = values
    entry = {
        "id": str(uuid.uuid4()),
        "title": title,
        "content": content,
        "lastModifiedBy": created_by,
        "lastModifiedAt": now(),
    }
    with connect() as conn:
        conn.execute(
            "INSERT INTO entries (id, title, content, created_by, created_at, last_modified_by, last_modified_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (entry["id"], title, content, created_by, entry["lastModifiedAt"], created_by, entry["lastModifiedAt"]),
        )
    return jsonify(entry), 201


@app.get("/entries/<entry_id>")
def show_entry(entry_id):
    with connect() as conn:
        entry = find_entry(conn, entry_id)
        if entry is None:
            return fail(404, "entry not found")
        rows = conn.execute(
            "SELECT who FROM (SELECT created_by AS who, 0 AS seq FROM entries WHERE id = ? "
            "UNION ALL SELECT modified_by, seq FROM edits WHERE entry_id = ?) ORDER BY seq",
            (entry_id, entry_id),
        ).fetchall()
    contributors = list(dict.fromkeys(r["who"] for r in rows))
    return html(ENTRY_PAGE, entry=entry, contributors=contributors)


@app.put("/entries/<entry_id>")
def update_entry(entry_id):
    values = strings(request.get_json(silent=True), "content", "modifiedBy", "summary")
    if values is None or not values[1].strip():
        return fail(400, "content, modifiedBy and summary are required")
    content, modified_by, summary = values
    with connect() as conn:
        entry = find_entry(conn, entry_id)
        if entry is None:
            return fail(404, "entry not found")
        at = now()
        conn.execute(
            "INSERT INTO edits (entry_id, old_content, new_content, modified_by, summary, modified_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (entry_id, entry["content"], content, modified_by, summary, at),
        )
        conn.execute(
            "UPDATE entries SET content = ?, last_modified_by = ?, last_modified_at = ? WHERE id = ?",
            (content, modified_by, at, entry_id),
        )
    entry.update(content=content, lastModifiedBy=modified_by, lastModifiedAt=at)
    return jsonify(entry), 200


@app.get("/entries/<entry_id>/edits")
def entry_history(entry_id):
    with connect() as conn:
        entry = find_entry(conn, entry_id)
        if entry is None:
            return fail(404, "entry not found")
        rows = conn.execute(
            "SELECT old_content, new_content, modified_by, summary, modified_at FROM edits "
            "WHERE entry_id = ? ORDER BY seq",
            (entry_id,),
        ).fetchall()
    edits = [
        {
            "summary": r["summary"],
            "modified_by": r["modified_by"],
            "modified_at": r["modified_at"],
            "diff": line_diff(r["old_content"], r["new_content"]),
        }
        for r in rows
    ]
    return html(EDITS_PAGE, entry=entry, edits=edits)


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
