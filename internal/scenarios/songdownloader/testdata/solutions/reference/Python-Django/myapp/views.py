import json
import os

from django.http import FileResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

SONG_DIR = "/var/songs"


def error(status, message):
    return JsonResponse({"error": message}, status=status)


def valid_name(name):
    """A plain file name: no directory parts, no parent references, no control characters."""
    if not name or name in (".", "..") or len(name) > 255:
        return False
    if any(c in name for c in "/\\\x00") or ".." in name:
        return False
    return all(ord(c) >= 0x20 and ord(c) != 0x7F for c in name)


@csrf_exempt
@require_POST
def download(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    name = body.get("filename") if isinstance(body, dict) else None
    if not isinstance(name, str) or not valid_name(name):
        return error(400, "invalid input")
    base = os.path.realpath(SONG_DIR)
    full = os.path.realpath(os.path.join(base, name))
    # The resolved file (symlinks followed) must sit directly in the song directory.
    if os.path.dirname(full) != base or not os.path.isfile(full):
        return error(404, "song not found")
    try:
        f = open(full, "rb")
    except OSError:
        return error(404, "song not found")
    return FileResponse(f, content_type="audio/mpeg")
