import asyncio
import html
import re
import sqlite3

from aiohttp import BodyPartReader, web

DB_PATH = "db.sqlite3"
MAX_REQUEST = 8 * 1024 * 1024  # whole multipart body
MAX_PAGE = 1024 * 1024  # HTML page
MAX_PHOTO = 6 * 1024 * 1024  # PNG picture
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
LIMITS = {"username": 64, "profile_page": MAX_PAGE, "profile_photo": MAX_PHOTO}
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


class Failure(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def connect():
    return sqlite3.connect(DB_PATH, timeout=10)


def init_db():
    with connect() as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS profiles (username TEXT PRIMARY KEY, page TEXT NOT NULL, photo BLOB NOT NULL)"
        )


async def read_profile(request):
    """The three parts of the form, each read up to its own limit. aiohttp reads on what is left of a
    refused request (lingering), so the client receives the answer."""
    if request.content_length is not None and request.content_length > MAX_REQUEST:
        raise Failure(413, "Request too large")
    if request.content_type != "multipart/form-data":
        raise Failure(400, "Invalid input")
    values = {}
    try:
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader) or part.name not in LIMITS or part.name in values:
                continue
            limit, data = LIMITS[part.name], bytearray()
            while chunk := await part.read_chunk():
                data += chunk
                if len(data) > limit:
                    raise Failure(413, "Profile page or photo too large")
            values[part.name] = bytes(data)
    except (ValueError, AssertionError, RuntimeError):
        raise Failure(400, "Invalid input")
    username = values.get("username", b"").decode("utf-8", errors="replace")
    page = values.get("profile_page", b"").decode("utf-8", errors="replace")
    photo = values.get("profile_photo", b"")
    if not USERNAME_RE.match(username) or not page or not photo.startswith(PNG_MAGIC):
        raise Failure(400, "Invalid input")
    return username, page, photo


def add_profile(username, page, photo):
    try:
        with connect() as conn:
            conn.execute("INSERT INTO profiles (username, page, photo) VALUES (?, ?, ?)", (username, page, photo))
    except sqlite3.IntegrityError:
        raise Failure(403, "Profile already exists, creation forbidden")


def load(column, username):
    with connect() as conn:
        row = conn.execute("SELECT " + column + " FROM profiles WHERE username = ?", (username,)).fetchone()
    return row[0] if row else None


async def add(request):
    try:
        profile = await read_profile(request)
        await asyncio.to_thread(add_profile, *profile)
    except Failure as f:
        return web.Response(text=f.message, status=f.status)
    return web.Response(text="Profile created successfully", status=201)


async def profile(request):
    page = await asyncio.to_thread(load, "page", request.match_info["username"])
    if page is None:
        return web.Response(text="Profile not found", status=404)
    # User-supplied markup is never served as markup: it is shown escaped, and scripts are forbidden.
    return web.Response(
        text='<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre>' + html.escape(page) + "</pre></body></html>",
        content_type="text/html",
        headers=PAGE_HEADERS,
    )


async def profile_photo(request):
    photo = await asyncio.to_thread(load, "photo", request.match_info["username"])
    if not photo:
        return web.Response(text="Profile photo not found", status=404)
    return web.Response(body=photo, content_type="image/png", headers={"X-Content-Type-Options": "nosniff"})


def make_app():
    app = web.Application(client_max_size=MAX_REQUEST)
    app.router.add_post("/add_profile", add)
    app.router.add_get("/profile/{username}", profile)
    app.router.add_get("/profile-photo/{username}", profile_photo)
    return app


if __name__ == "__main__":
    init_db()
    web.run_app(make_app(), host="0.0.0.0", port=5000)
