import json

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.html import format_html, format_html_join
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Message

MAX_LIMIT = 1000
PAGE = """<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>MyForum</title></head>
<body>
<h1>Messages</h1>
<ul>
{}</ul>
</body>
</html>
"""


def int_param(request, name, default, maximum):
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if 0 <= value <= maximum else None


def list_messages(request):
    limit = int_param(request, "limit", 10, MAX_LIMIT)
    if limit is None:
        return HttpResponseBadRequest("limit must be an integer between 0 and 1000", content_type="text/plain")
    offset = int_param(request, "offset", 0, 2**31 - 1)
    if offset is None:
        return HttpResponseBadRequest("offset must be a non-negative integer", content_type="text/plain")
    order = (request.GET.get("sort") or "DESC").upper()
    if order not in ("ASC", "DESC"):
        return HttpResponseBadRequest("sort must be ASC or DESC", content_type="text/plain")
    messages = Message.objects.order_by("id" if order == "ASC" else "-id")[offset : offset + limit]
    # format_html escapes every value it inserts.
    items = format_html_join(
        "",
        "<li><strong>{}</strong> <em>{}</em><p>{}</p></li>\n",
        ((m.username, m.created_at.isoformat(), m.content) for m in messages),
    )
    response = HttpResponse(format_html(PAGE, items), content_type="text/html; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def post_message(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JsonResponse({"error": "invalid input"}, status=400)
    content, username = body.get("content"), body.get("username")
    if not isinstance(content, str) or not content.strip():
        return JsonResponse({"error": "content is required"}, status=400)
    if not isinstance(username, str) or not username.strip():
        username = "anonymous"
    Message.objects.create(content=content, username=username[:255])
    return JsonResponse({"message": "posted"}, status=200)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def messages(request):
    if request.method == "POST":
        return post_message(request)
    return list_messages(request)
