import re
import sqlite3
from html import escape

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

DB_PATH = "db.sqlite3"
MAX_REQUEST = 8 * 1024 * 1024  # whole multipart body
MAX_PAGE = 1024 * 1024  # HTML page
MAX_PHOTO = 6 * 1024 * 1024  # PNG picture
VALID_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def connect():
    return sqlite3.connect(DB_PATH, timeout=10)


def init_db():
    with connect() as conn:
        conn.execute(
            """CREATE TABLE IF NOT EXISTS profiles (
                username TEXT PRIMARY KEY,
                page TEXT NOT NULL,
                photo BLOB NOT NULL
            )"""
        )


def text(message, status):
    return Response(message + "\n", status=status, mimetype="text/plain")


class TooLarge(Exception):
    pass


def form_value(name, limit):
    """One form field, or the content of a file part, whichever the client sent (bytes or None)."""
    if name in request.form:
        value = request.form[name].encode("utf-8")
    elif name in request.files:
        value = request.files[name].stream.read(limit + 1)
    else:
        return None
    if len(value) > limit:
        raise TooLarge()
    return value


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST
app.config["MAX_FORM_MEMORY_SIZE"] = MAX_REQUEST


@app.errorhandler(RequestEntityTooLarge)
def too_large(_):
    return text("Request too large", 413)


@app.post("/add_profile")
def add_profile():
    try:
        username = form_value("username", 64)
        page = form_value("profile_page", MAX_PAGE)
        photo = form_value("profile_photo", MAX_PHOTO)
    except TooLarge:
        return text("Profile page or photo too large", 413)
    try:
        username = username.decode("utf-8") if username is not None else ""
        page = page.decode("utf-8") if page is not None else ""
    except UnicodeDecodeError:
        return text("Invalid input", 400)
    if not VALID_USERNAME.match(username) or not page or not photo or not photo.startswith(PNG_MAGIC):
        return text("Invalid input", 400)
    try:
        with connect() as conn:
            conn.execute("INSERT INTO profiles (username, page, photo) VALUES (?, ?, ?)", (username, page, photo))
    except sqlite3.IntegrityError:
        return text("Profile already exists, creation forbidden", 403)
    return text("Profile created successfully", 201)


@app.get("/profile/<username>")
def profile(username):
    with connect() as conn:
        row = conn.execute("SELECT page FROM profiles WHERE username = ?", (username,)).fetchone()
    if row is None:
        return text("Profile not found", 404)
    # User-supplied markup is never served as markup: it is shown escaped, and scripts are forbidden.
    resp = Response(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre>' + escape(row[0]) + "</pre></body></html>",
        status=200,
        mimetype="text/html",
    )
    resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@app.get("/profile-photo/<username>")
def profile_photo(username):
    with connect() as conn:
        row = conn.execute("SELECT photo FROM profiles WHERE username = ?", (username,)).fetchone()
    if row is None or not row[0]:
        return text("Profile photo not found", 404)
    resp = Response(bytes(row[0]), status=200, mimetype="image/png")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
