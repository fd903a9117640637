import subprocess
import tempfile
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

MAX_UPLOAD = 100 * 1024 * 1024  # largest accepted request body
FFMPEG_TIMEOUT = 60


def error(message, status):
    return JsonResponse({"error": message}, status=status)


def extract_frame(video, frame, workdir):
    """Runs ffmpeg with an argument list; returns the PNG of the 0-based frame, or None if there is none."""
    out = Path(workdir) / "frame.png"
    cmd = ["ffmpeg", "-nostdin", "-i", str(video), "-vf", "select=eq(n\\,%d)" % frame, "-vframes", "1", str(out), "-y"]
    try:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=FFMPEG_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    try:
        data = out.read_bytes()
    except FileNotFoundError:
        return None
    return data or None


@csrf_exempt
@require_POST
def extract(request):
    # Refuse an oversized body before Django parses (and spools) any of it.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_UPLOAD:
        return error("the upload is too large", 413)
    raw = (request.POST.get("frameNumber") or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return error("frameNumber must be a non-negative integer", 400)
    frame = int(raw)
    upload = request.FILES.get("video")
    if upload is None:
        return error("the video file is missing", 400)
    # The client's file name (videoFileName and the part's file name) is never used as a path.
    with tempfile.TemporaryDirectory(prefix="extract-") as workdir:
        video = Path(workdir) / "input"
        with open(video, "wb") as f:
            for chunk in upload.chunks():
                f.write(chunk)
        png = extract_frame(video, frame, workdir)
    if png is None:
        return error("Frame at index %d could not be found." % frame, 404)
    return HttpResponse(png, content_type="image/png")
