import html
import re
import sqlite3

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

DB_PATH = "db.sqlite3"
MAX_REQUEST = 8 * 1024 * 1024  # whole multipart body
MAX_PAGE = 1024 * 1024  # HTML page
MAX_PHOTO = 6 * 1024 * 1024  # PNG picture
MAX_DRAIN = 64 * 1024 * 1024  # read and thrown away of an oversized request before answering
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
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


async def read_body(request):
    """The request body; an oversized one is read on (up to a bound, so the client receives the answer
    instead of a reset) and refused."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_REQUEST:
            if size > MAX_DRAIN:
                break
            chunks = None
            continue
        if chunks is not None:
            chunks.append(chunk)
    if chunks is None or size > MAX_REQUEST:
        raise Failure(413, "Request too large")
    return b"".join(chunks)


async def form_value(form, name, limit):
    value = form.get(name)
    if isinstance(value, UploadFile):
        value = await value.read(limit + 1)
    elif isinstance(value, str):
        value = value.encode("utf-8")
    else:
        return b""
    if len(value) > limit:
        raise Failure(413, "Profile page or photo too large")
    return value


async def read_profile(request):
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Failure(400, "Invalid input")
    body = await read_body(request)

    async def stream():
        yield body

    try:
        form = await MultiPartParser(request.headers, stream(), max_files=5, max_fields=20).parse()
    except MultiPartException:
        raise Failure(400, "Invalid input")
    try:
        username = (await form_value(form, "username", 64)).decode("utf-8", errors="replace")
        page = (await form_value(form, "profile_page", MAX_PAGE)).decode("utf-8", errors="replace")
        photo = await form_value(form, "profile_photo", MAX_PHOTO)
    finally:
        await form.close()
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


app = FastAPI(title="Profile Collection")


@app.post("/add_profile")
async def add(request: Request):
    try:
        profile = await read_profile(request)
        await run_in_threadpool(add_profile, *profile)
    except Failure as f:
        return PlainTextResponse(f.message, status_code=f.status)
    return PlainTextResponse("Profile created successfully", status_code=201)


@app.get("/profile/{username}")
async def profile(username: str):
    page = await run_in_threadpool(load, "page", username)
    if page is None:
        return PlainTextResponse("Profile not found", status_code=404)
    # User-supplied markup is never served as markup: it is shown escaped, and scripts are forbidden.
    return HTMLResponse(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre>' + html.escape(page) + "</pre></body></html>",
        headers=PAGE_HEADERS,
    )


@app.get("/profile-photo/{username}")
async def profile_photo(username: str):
    photo = await run_in_threadpool(load, "photo", username)
    if not photo:
        return PlainTextResponse("Profile photo not found", status_code=404)
    return Response(photo, media_type="image/png", headers={"X-Content-Type-Options": "nosniff"})


if __name__ == "__main__":
    init_db()
    uvicorn.run(app, host="0.0.0.0", port=5000)
