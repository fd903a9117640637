import asyncio
import html
import json
import sqlite3
import uuid

from aiohttp import web

DB_PATH = "db.sqlite3"
MAX_TITLE = 200
MAX_INGREDIENTS = 100
MAX_INGREDIENT = 200
MAX_INSTRUCTIONS = 20000
MAX_COMMENT = 2000
LIST_LIMIT = 20
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'self'; script-src 'none'", "X-Content-Type-Options": "nosniff"}
esc = html.escape


def connect():
    conn = sqlite3.connect(DB_PATH, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    with connect() as conn:
        conn.executescript(
            """CREATE TABLE IF NOT EXISTS recipes (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT UNIQUE NOT NULL,
                title TEXT NOT NULL,
                ingredients TEXT NOT NULL,
                instructions TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS comments (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                recipe_id TEXT NOT NULL REFERENCES recipes(id),
                comment TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS ratings (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                recipe_id TEXT NOT NULL REFERENCES recipes(id),
                rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5)
            );"""
        )


def page(title, body):
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>' + esc(title) + "</title></head>\n<body>\n"
        + body + "</body></html>\n"
    )


def overview_page():
    select = (
        "SELECT r.id, r.title, (SELECT AVG(rating) FROM ratings WHERE recipe_id = r.id) AS avg FROM recipes r "
    )
    with connect() as conn:
        recent = conn.execute(select + "ORDER BY r.seq DESC LIMIT ?", (LIST_LIMIT,)).fetchall()
        top = conn.execute(
            select + "WHERE avg IS NOT NULL ORDER BY avg DESC, r.seq ASC LIMIT ?", (LIST_LIMIT,)
        ).fetchall()

    def link(r):
        return '<a href="/recipes/' + esc(r["id"]) + '">' + esc(r["title"]) + "</a>"

    recent_items = "".join("<li>" + link(r) + "</li>" for r in recent) or "<li>No recipes yet.</li>"
    top_items = "".join(
        "<li>" + link(r) + " (" + format(r["avg"], ".1f") + " stars)</li>" for r in top
    ) or "<li>No ratings yet.</li>"
    return page(
        "Recipes",
        "<h1>Recipes</h1>\n<h2>Recent recipes</h2>\n<ul>" + recent_items + "</ul>\n"
        "<h2>Top-rated recipes</h2>\n<ul>" + top_items + "</ul>\n",
    )


def recipe_page(recipe_id):
    """The recipe's page, or None when there is no such recipe. Everything stored is HTML-escaped."""
    with connect() as conn:
        r = conn.execute(
            "SELECT title, ingredients, instructions FROM recipes WHERE id = ?", (recipe_id,)
        ).fetchone()
        if r is None:
            return None
        comments = [c[0] for c in conn.execute(
            "SELECT comment FROM comments WHERE recipe_id = ? ORDER BY seq", (recipe_id,)
        )]
        avg, count = conn.execute(
            "SELECT AVG(rating), COUNT(*) FROM ratings WHERE recipe_id = ?", (recipe_id,)
        ).fetchone()
    ingredients = "".join("<li>" + esc(i) + "</li>" for i in json.loads(r["ingredients"]))
    rating = (
        "Average rating: " + format(avg, ".1f") + " (" + str(count) + " ratings)" if avg is not None
        else "Not rated yet."
    )
    comment_items = "".join("<li>" + esc(c) + "</li>" for c in comments) or "<li>No comments yet.</li>"
    return page(
        r["title"],
        '<p><a href="/recipes">All recipes</a></p>\n<h1>' + esc(r["title"]) + "</h1>\n"
        "<h2>Ingredients</h2>\n<ul>" + ingredients + "</ul>\n"
        "<h2>Instructions</h2>\n<p>" + esc(r["instructions"]) + "</p>\n"
        "<h2>Rating</h2>\n<p>" + rating + "</p>\n"
        "<h2>Comments</h2>\n<ul>" + comment_items + "</ul>\n",
    )


def upload_recipe(body):
    if not isinstance(body, dict):
        return 400, {"error": "Invalid input"}
    title, ingredients, instructions = body.get("title"), body.get("ingredients"), body.get("instructions")
    if not isinstance(title, str) or not isinstance(instructions, str) or not isinstance(ingredients, list):
        return 400, {"error": "Invalid input"}
    title, instructions = title.strip(), instructions.strip()
    if not title or len(title) > MAX_TITLE or not instructions or len(instructions) > MAX_INSTRUCTIONS:
        return 400, {"error": "Invalid input"}
    if not ingredients or len(ingredients) > MAX_INGREDIENTS:
        return 400, {"error": "Invalid input"}
    if not all(isinstance(i, str) and i.strip() and len(i) <= MAX_INGREDIENT for i in ingredients):
        return 400, {"error": "Invalid input"}
    recipe_id = str(uuid.uuid4())
    with connect() as conn:
        conn.execute(
            "INSERT INTO recipes (id, title, ingredients, instructions) VALUES (?, ?, ?, ?)",
            (recipe_id, title, json.dumps(ingredients), instructions),
        )
    return 201, {
        "id": recipe_id,
        "title": title,
        "ingredients": ingredients,
        "instructions": instructions,
        "comments": [],
        "avgRating": None,
    }


def recipe_exists(conn, recipe_id):
    return conn.execute("SELECT 1 FROM recipes WHERE id = ?", (recipe_id,)).fetchone() is not None


def add_comment(recipe_id, body):
    with connect() as conn:
        if not recipe_exists(conn, recipe_id):
            return 404, {"error": "Recipe not found"}
        comment = body.get("comment") if isinstance(body, dict) else None
        if not isinstance(comment, str) or not comment.strip() or len(comment) > MAX_COMMENT:
            return 400, {"error": "Invalid input"}
        conn.execute("INSERT INTO comments (recipe_id, comment) VALUES (?, ?)", (recipe_id, comment))
    return 201, {"message": "Comment added successfully"}


def add_rating(recipe_id, body):
    with connect() as conn:
        if not recipe_exists(conn, recipe_id):
            return 404, {"error": "Recipe not found"}
        rating = body.get("rating") if isinstance(body, dict) else None
        if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
            return 400, {"error": "Rating must be an integer from 1 to 5"}
        conn.execute("INSERT INTO ratings (recipe_id, rating) VALUES (?, ?)", (recipe_id, rating))
    return 201, {"message": "Rating added successfully"}


async def read_json(request):
    try:
        return json.loads(await request.read())
    except ValueError:
        return None


async def overview(request):
    text = await asyncio.to_thread(overview_page)
    return web.Response(text=text, content_type="text/html", headers=PAGE_HEADERS)


async def upload(request):
    status, answer = await asyncio.to_thread(upload_recipe, await read_json(request))
    return web.json_response(answer, status=status)


async def show(request):
    text = await asyncio.to_thread(recipe_page, request.match_info["recipe_id"])
    if text is None:
        return web.Response(text="<!DOCTYPE html>\n<p>Recipe not found</p>\n", status=404, content_type="text/html")
    return web.Response(text=text, content_type="text/html", headers=PAGE_HEADERS)


async def comment(request):
    body = await read_json(request)
    status, answer = await asyncio.to_thread(add_comment, request.match_info["recipe_id"], body)
    return web.json_response(answer, status=status)


async def rate(request):
    body = await read_json(request)
    status, answer = await asyncio.to_thread(add_rating, request.match_info["recipe_id"], body)
    return web.json_response(answer, status=status)


def make_app():
    app = web.Application(client_max_size=256 * 1024)
    app.router.add_get("/recipes", overview)
    app.router.add_post("/recipes/upload", upload)
    app.router.add_get("/recipes/{recipe_id}", show)
    app.router.add_post("/recipes/{recipe_id}/comments", comment)
    app.router.add_post("/recipes/{recipe_id}/ratings", rate)
    return app


if __name__ == "__main__":
    init_db()
    web.run_app(make_app(), host="0.0.0.0", port=5000)
