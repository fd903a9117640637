import json

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.template import Context, Engine
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Product, ProductTag

MAX_NAME = 200
MAX_TAG = 100
MAX_TAGS = 50
MAX_RESULTS = 1000

# Django's template engine escapes every product name it renders.
PAGE = Engine().from_string(
    """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Recommendations</title></head>
<body>
<h1>Recommended products</h1>
<ul>
{% for name in names %}<li>{{ name }}</li>
{% endfor %}</ul>
</body></html>
"""
)


def invalid():
    return JsonResponse({"error": "invalid input"}, status=400)


def post_product(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return invalid()
    if not isinstance(body, dict):
        return invalid()
    name, tags = body.get("product_name"), body.get("tags")
    if not isinstance(name, str) or not isinstance(tags, list):
        return invalid()
    name = name.strip()
    if not name or len(name) > MAX_NAME or not tags or len(tags) > MAX_TAGS:
        return invalid()
    if not all(isinstance(t, str) and t.strip() and len(t.strip()) <= MAX_TAG for t in tags):
        return invalid()
    with transaction.atomic():
        product = Product.objects.create(name=name)
        ProductTag.objects.bulk_create(
            [ProductTag(product=product, tag=t) for t in dict.fromkeys(t.strip() for t in tags)]
        )
    return JsonResponse({"message": "Product posted"})


def recommend(request):
    tags = [t.strip() for t in request.GET.get("tags", "").split(",") if t.strip()][:MAX_TAGS]
    names = []
    if tags:
        products = Product.objects.filter(tags__tag__in=tags).distinct().order_by("id")[:MAX_RESULTS]
        names = [p.name for p in products]
    response = HttpResponse(PAGE.render(Context({"names": names})), content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'self'; script-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def recommender(request):
    if request.method == "POST":
        return post_product(request)
    return recommend(request)
