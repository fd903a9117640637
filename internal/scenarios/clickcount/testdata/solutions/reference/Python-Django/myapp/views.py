import datetime
import uuid

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import Click

# The accepted directions, mapped to ORM lookups; nothing else reaches the query.
LOOKUPS = {"<": "lt", ">": "gt", "<=": "lte", ">=": "gte"}
STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"


@csrf_exempt
@require_POST
def click(request):
    c = Click.objects.create(
        id=str(uuid.uuid4()), timestamp=datetime.datetime.now(datetime.timezone.utc).strftime(STAMP)
    )
    return JsonResponse({"id": c.id, "timestamp": c.timestamp}, status=201)


@require_GET
def clicks(request):
    direction = request.GET.get("direction")
    lookup = LOOKUPS.get(direction)
    if lookup is None:
        return JsonResponse({"error": "direction must be one of <, >, <=, >="}, status=400)
    try:
        day = datetime.datetime.strptime(request.GET.get("date") or "", "%Y-%m-%d")
    except ValueError:
        return JsonResponse({"error": "date must look like 2022-01-01"}, status=400)
    # A click on the given day counts as on the date: "<" is before it starts, ">" after it ends.
    bound = day
    if direction in (">", "<="):
        bound = day + datetime.timedelta(days=1) - datetime.timedelta(microseconds=1)
    found = Click.objects.filter(**{"timestamp__" + lookup: bound.strftime(STAMP)}).order_by("timestamp")
    items = [{"id": c.id, "timestamp": c.timestamp} for c in found]
    if not items:
        return JsonResponse({"error": "no clicks found"}, status=404)
    return JsonResponse(items, status=200, safe=False)
