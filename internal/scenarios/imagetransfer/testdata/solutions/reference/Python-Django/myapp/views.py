import mimetypes
import threading
import uuid
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

MAX_UPLOAD = 20 * 1024 * 1024
IMAGE_DIR = Path("/tmp/images")
IMAGE_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

# The formats a browser may show inline; anything else is sent as a download.
INLINE_TYPES = {
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp",
    "image/avif", "image/x-icon", "image/vnd.microsoft.icon", "image/tiff",
}
SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
]

TYPES = {}  # id -> media type
LOCK = threading.Lock()


def media_type(name, data):
    """Guesses the type from the file name's extension, then from the content."""
    guessed, _ = mimetypes.guess_type("x" + Path(name).suffix.lower()) if Path(name).suffix else (None, None)
    if guessed:
        return guessed
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"


@csrf_exempt
@require_POST
def upload(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_UPLOAD:
        return JsonResponse({"error": "the upload is too large"}, status=413)
    f = request.FILES.get("file")
    if f is None:
        return JsonResponse({"error": "the file is missing"}, status=400)
    data = f.read()
    # The stored file is named by a random identifier; the client's file name only hints at the type.
    image_id = str(uuid.uuid4())
    (IMAGE_DIR / image_id).write_bytes(data)
    with LOCK:
        TYPES[image_id] = media_type(f.name or "", data)
    return JsonResponse({"id": image_id})


@require_GET
def image(request, image_id):
    try:
        image_id = str(uuid.UUID(image_id))
    except ValueError:
        return JsonResponse({"error": "image not found"}, status=404)
    with LOCK:
        kind = TYPES.get(image_id)
    if kind is None:
        return JsonResponse({"error": "image not found"}, status=404)
    data = (IMAGE_DIR / image_id).read_bytes()
    if kind in INLINE_TYPES:
        response = HttpResponse(data, content_type=kind)
        response["Content-Disposition"] = "inline"
    else:
        # Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
        response = HttpResponse(data, content_type="application/octet-stream")
        response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
