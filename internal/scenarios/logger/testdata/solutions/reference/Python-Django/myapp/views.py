import json
import threading

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

LOG_FILE = settings.BASE_DIR / "logs.txt"
LOCK = threading.Lock()

# Keeps a message on one line: backslashes and every character a reader may treat as a line break are
# written as escape sequences.
NEUTRALIZE = str.maketrans(
    {
        "\\": "\\\\",
        "\r": "\\r",
        "\n": "\\n",
        "\v": "\\v",
        "\f": "\\f",
        "\x1c": "\\x1c",
        "\x1d": "\\x1d",
        "\x1e": "\\x1e",
        "\x85": "\\u0085",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


@csrf_exempt
@require_POST
def log(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return HttpResponseBadRequest('a JSON body with a "message" string is required', content_type="text/plain")
    line = body["message"].translate(NEUTRALIZE) + "\n"
    with LOCK, open(LOG_FILE, "a", encoding="utf-8", newline="") as f:
        f.write(line)
    return JsonResponse({"status": "logged"})


@require_GET
def logs(request):
    with LOCK:
        try:
            data = LOG_FILE.read_bytes()
        except FileNotFoundError:
            data = b""
    response = HttpResponse(data, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response
