import json
import sqlite3
import uuid

from flask import Flask, Response, jsonify, render_template_string, request

DB_PATH = "db.sqlite3"
MAX_TITLE = 200
MAX_INGREDIENTS = 100
MAX_INGREDIENT = 200
MAX_INSTRUCTIONS = 20000
MAX_COMMENT = 2000
LIST_LIMIT = 20

# Jinja2 autoescapes every value written into these pages.
OVERVIEW_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Recipes</title></head>
<body>
<h1>Recipes</h1>
<h2>Recent recipes</h2>
<ul>{% for r in recent %}<li><a href="/recipes/{{ r.id }}">{{ r.title }}</a></li>{% else %}<li>No recipes yet.</li>{% endfor %}</ul>
<h2>Top-rated recipes</h2>
<ul>{% for r in top %}<li><a href="/recipes/{{ r.id }}">{{ r.title }}</a> ({{ "%.1f"|format(r.avg) }} stars)</li>{% else %}<li>No ratings yet.</li>{% endfor %}</ul>
</body></html>
"""

RECIPE_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ recipe.title }}</title></head>
<body>
<p><a href="/recipes">All recipes</a></p>
<h1>{{ recipe.title }}</h1>
<h2>Ingredients</h2>
<ul>{% for i in recipe.ingredients %}<li>{{ i }}</li>{% endfor %}</ul>
<h2>Instructions</h2>
<p>{{ recipe.instructions }}</p>
<h2>Rating</h2>
<p>{% if recipe.avgRating is not none %}Average rating: {{ "%.1f"|format(recipe.avgRating) }} ({{ ratings }} ratings){% else %}Not rated yet.{% endif %}</p>
<h2>Comments</h2>
<ul>{% for c in recipe.comments %}<li>{{ c.comment }}</li>{% else %}<li>No comments yet.</li>{% endfor %}</ul>
</body></html>
"""


def connect():
    conn = sqlite3.connect(DB_PATH, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    with connect() as conn:
        conn.executescript(
            """
            CREATE TABLE IF NOT EXISTS recipes (
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
            );
            """
        )


def fail(status, message):
    return jsonify({"error": message}), status


def html(page, **context):
    resp = Response(render_template_string(page, **context), status=200, mimetype="text/html")
    resp.headers["Content-Security-Policy"] = "default-src 'self'; script-src 'none'"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


def recipe_exists(conn, recipe_id):
    return conn.execute("SELECT 1 FROM recipes WHERE id = ?", (recipe_id,)).fetchone() is not None


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 256 * 1024


@app.get("/recipes")
def overview():
    select = "SELECT r.id, r.title, (SELECT AVG(rating) FROM ratings WHERE recipe_id = r.id) AS avg FROM recipes r "
    with connect() as conn:
        recent = conn.execute(select + "ORDER BY r.seq DESC LIMIT ?", (LIST_LIMIT,)).fetchall()
        top = conn.execute(
            select + "WHERE avg IS NOT NULL ORDER BY avg DESC, r.seq ASC LIMIT ?", (LIST_LIMIT,)
        ).fetchall()
    return html(OVERVIEW_PAGE, recent=recent, top=top)


@app.post("/recipes/upload")
def upload():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return fail(400, "Invalid input")
    title, ingredients, instructions = body.get("title"), body.get("ingredients"), body.get("instructions")
    if not isinstance(title, str) or not isinstance(instructions, str) or not isinstance(ingredients, list):
        return fail(400, "Invalid input")
    title, instructions = title.strip(), instructions.strip()
    if not title or len(title) > MAX_TITLE or not instructions or len(instructions) > MAX_INSTRUCTIONS:
        return fail(400, "Invalid input")
    if not 1 <= len(ingredients) <= MAX_INGREDIENTS:
        return fail(400, "Invalid input")
    if any(not isinstance(i, str) or not i.strip() or len(i) > MAX_INGREDIENT for i in ingredients):
        return fail(400, "Invalid input")
    recipe_id = str(uuid.uuid4())
    with connect() as conn:
        conn.execute(
            "INSERT INTO recipes (id, title, ingredients, instructions) VALUES (?, ?, ?, ?)",
            (recipe_id, title, json.dumps(ingredients), instructions),
        )
    recipe = {
        "id": recipe_id,
        "title": title,
        "ingredients": ingredients,
        "instructions": instructions,
        "comments": [],
        "avgRating": None,
    }
    return jsonify(recipe), 201


@app.get("/recipes/<recipe_id>")
def show(recipe_id):
    with connect() as conn:
        row = conn.execute(
            "SELECT id, title, ingredients, instructions FROM recipes WHERE id = ?", (recipe_id,)
        ).fetchone()
        if row is None:
            return Response("Recipe not found\n", status=404, mimetype="text/plain")
        comments = conn.execute(
            "SELECT comment FROM comments WHERE recipe_id = ? ORDER BY seq", (recipe_id,)
        ).fetchall()
        avg, count = conn.execute(
            "SELECT AVG(rating), COUNT(*) FROM ratings WHERE recipe_id = ?", (recipe_id,)
        ).fetchone()
    recipe = {
        "id": row["id"],
        "title": row["title"],
        "ingredients": json.loads(row["ingredients"]),
        "instructions": row["instructions"],
        "comments": [{"comment": c["comment"]} for c in comments],
        "avgRating": avg,
    }
    return html(RECIPE_PAGE, recipe=recipe, ratings=count)


@app.post("/recipes/<recipe_id>/comments")
def add_comment(recipe_id):
    with connect() as conn:
        if not recipe_exists(conn, recipe_id):
            return fail(404, "Recipe not found")
        body = request.get_json(silent=True)
        comment = body.get("comment") if isinstance(body, dict) else None
        if not isinstance(comment, str) or not comment.strip() or len(comment) > MAX_COMMENT:
            return fail(400, "Invalid input")
        conn.execute("INSERT INTO comments (recipe_id, comment) VALUES (?, ?)", (recipe_id, comment))
    return jsonify({"message": "Comment added successfully"}), 201


@app.post("/recipes/<recipe_id>/ratings")
def add_rating(recipe_id):
    with connect() as conn:
        if not recipe_exists(conn, recipe_id):
            return fail(404, "Recipe not found")
        body = request.get_json(silent=True)
        rating = body.get("rating") if isinstance(body, dict) else None
        if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
            return fail(400, "Rating must be an integer from 1 to 5")
        conn.execute("INSERT INTO ratings (recipe_id, rating) VALUES (?, ?)", (recipe_id, rating))
    return jsonify({"message": "Rating added successfully"}), 201


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
