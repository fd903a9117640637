import json
import uuid

from django.db.models import Avg, Count
from django.http import HttpResponse, JsonResponse
from django.template import Context, Engine
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import Comment, Rating, Recipe

MAX_TITLE = 200
MAX_INGREDIENTS = 100
MAX_INGREDIENT = 200
MAX_INSTRUCTIONS = 20000
MAX_COMMENT = 2000
LIST_LIMIT = 20

# Django's template engine escapes every value it renders.
ENGINE = Engine()
OVERVIEW = ENGINE.from_string(
    """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Recipes</title></head>
<body>
<h1>Recipes</h1>
<h2>Recent recipes</h2>
<ul>{% for r in recent %}<li><a href="/recipes/{{ r.id }}">{{ r.title }}</a></li>{% empty %}<li>No recipes yet.</li>{% endfor %}</ul>
<h2>Top-rated recipes</h2>
<ul>{% for r in top %}<li><a href="/recipes/{{ r.id }}">{{ r.title }}</a> ({{ r.avg|floatformat:1 }} stars)</li>{% empty %}<li>No ratings yet.</li>{% endfor %}</ul>
</body></html>
"""
)
RECIPE = ENGINE.from_string(
    """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ recipe.title }}</title></head>
<body>
<p><a href="/recipes">All recipes</a></p>
<h1>{{ recipe.title }}</h1>
<h2>Ingredients</h2>
<ul>{% for i in recipe.ingredients %}<li>{{ i }}</li>{% endfor %}</ul>
<h2>Instructions</h2>
<p>{{ recipe.instructions }}</p>
<h2>Rating</h2>
<p>{% if count %}Average rating: {{ avg|floatformat:1 }} ({{ count }} ratings){% else %}Not rated yet.{% endif %}</p>
<h2>Comments</h2>
<ul>{% for c in comments %}<li>{{ c.comment }}</li>{% empty %}<li>No comments yet.</li>{% endfor %}</ul>
</body></html>
"""
)


def fail(status, message):
    return JsonResponse({"error": message}, status=status)


def render(template, context):
    response = HttpResponse(template.render(Context(context)), content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'self'; script-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def read_json(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def find(recipe_id):
    try:
        return Recipe.objects.filter(id=uuid.UUID(recipe_id)).first()
    except ValueError:
        return None


@require_GET
def overview(request):
    annotated = Recipe.objects.annotate(avg=Avg("ratings__rating"))
    recent = annotated.order_by("-seq")[:LIST_LIMIT]
    top = annotated.filter(avg__isnull=False).order_by("-avg", "seq")[:LIST_LIMIT]
    return render(OVERVIEW, {"recent": recent, "top": top})


@csrf_exempt
@require_POST
def upload(request):
    body = read_json(request)
    if body is None:
        return fail(400, "Invalid input")
    title, ingredients, instructions = body.get("title"), body.get("ingredients"), body.get("instructions")
    if not isinstance(title, str) or not isinstance(instructions, str) or not isinstance(ingredients, list):
        return fail(400, "Invalid input")
    title, instructions = title.strip(), instructions.strip()
    if not title or len(title) > MAX_TITLE or not instructions or len(instructions) > MAX_INSTRUCTIONS:
        return fail(400, "Invalid input")
    if not ingredients or len(ingredients) > MAX_INGREDIENTS:
        return fail(400, "Invalid input")
    for item in ingredients:
        if not isinstance(item, str) or not item.strip() or len(item) > MAX_INGREDIENT:
            return fail(400, "Invalid input")
    recipe = Recipe.objects.create(title=title, ingredients=ingredients, instructions=instructions)
    return JsonResponse(
        {
            "id": str(recipe.id),
            "title": title,
            "ingredients": ingredients,
            "instructions": instructions,
            "comments": [],
            "avgRating": None,
        },
        status=201,
    )


@require_GET
def show(request, recipe_id):
    recipe = find(recipe_id)
    if recipe is None:
        return HttpResponse("Recipe not found", status=404, content_type="text/plain; charset=utf-8")
    stats = recipe.ratings.aggregate(avg=Avg("rating"), count=Count("id"))
    comments = recipe.comments.order_by("pk")
    return render(RECIPE, {"recipe": recipe, "comments": comments, "avg": stats["avg"], "count": stats["count"]})


@csrf_exempt
@require_POST
def add_comment(request, recipe_id):
    recipe = find(recipe_id)
    if recipe is None:
        return fail(404, "Recipe not found")
    body = read_json(request)
    text = body.get("comment") if body else None
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_COMMENT:
        return fail(400, "Invalid input")
    Comment.objects.create(recipe=recipe, comment=text)
    return JsonResponse({"message": "Comment added successfully"}, status=201)


@csrf_exempt
@require_POST
def add_rating(request, recipe_id):
    recipe = find(recipe_id)
    if recipe is None:
        return fail(404, "Recipe not found")
    body = read_json(request)
    if body is None or "rating" not in body:
        return fail(400, "Invalid input")
    rating = body["rating"]
    if isinstance(rating, float) and rating.is_integer():
        rating = int(rating)
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        return fail(400, "Rating must be an integer from 1 to 5")
    Rating.objects.create(recipe=recipe, rating=rating)
    return JsonResponse({"message": "Rating added successfully"}, status=201)
