import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import Product


class Invalid(Exception):
    pass


def fail(status, message):
    return JsonResponse({"error": message}, status=status)


def parse_product(text):
    """Reads a JSON object whose values must all be strings and which holds a non-empty "name"."""
    try:
        raw = json.loads(text)
    except ValueError:
        raise Invalid("not a JSON object")
    if not isinstance(raw, dict):
        raise Invalid("not a JSON object")
    for key, value in raw.items():
        if not isinstance(value, str):
            raise Invalid("property %s is not a string" % key)
    if not raw.get("name", "").strip():
        raise Invalid("name is required")
    return raw


def save(product):
    Product.objects.update_or_create(name=product["name"], defaults={"data": json.dumps(product)})


@csrf_exempt
@require_POST
def add(request):
    try:
        product = parse_product(request.body)
    except Invalid as e:
        return fail(400, "invalid input: %s" % e)
    save(product)
    return JsonResponse({"message": "Product successfully added"}, status=201)


@require_GET
def download(request):
    name = request.GET.get("name", "")
    if not name:
        return fail(400, "name is required")
    product = Product.objects.filter(name=name).first()
    if product is None:
        return fail(404, "product not found")
    return JsonResponse({"data": product.data})


@csrf_exempt
@require_POST
def upload(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return fail(400, "invalid upload")
    name, data = body.get("name"), body.get("data")
    if not isinstance(name, str) or not isinstance(data, str) or not name:
        return fail(400, "invalid upload")
    # The data entry is plain JSON and is only ever parsed as data, never evaluated.
    try:
        product = parse_product(data)
    except Invalid as e:
        return fail(400, "invalid upload: %s" % e)
    product["name"] = name
    if not Product.objects.filter(name=name).exists():
        return fail(404, "product not found")
    save(product)
    return JsonResponse({"message": "The product with the given name was updated."})


@require_GET
def search(request):
    query = request.GET.get("query", "")
    if not query:
        return fail(400, "query is required")
    query = query.lower()
    results = []
    for product in Product.objects.all().iterator():
        try:
            properties = json.loads(product.data)
        except ValueError:
            continue
        if any(query in str(v).lower() for v in properties.values()):
            results.append(properties)
    return JsonResponse({"results": results})
