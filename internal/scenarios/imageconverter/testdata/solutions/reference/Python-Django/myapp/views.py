import re
import struct
import subprocess
import tempfile
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

MAX_UPLOAD = 50 * 1024 * 1024  # largest accepted request body
MAX_IMAGES = 50  # images in one GIF
MAX_SIDE = 4000  # largest target width or height in pixels
MAX_TARGET_AREA = 4_000_000  # largest target area in pixels
MAX_TOTAL_PIXELS = 64_000_000
MAX_INPUT_PIXELS = 40_000_000  # largest uploaded image, against decompression bombs
MAX_DELAY = 655350  # GIF delays are 16-bit hundredths of a second
CONVERT_TIMEOUT = 60
SIZE = re.compile(r"^([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$")
BOOLS = {"true": True, "1": True, "false": False, "0": False}


class BadRequest(Exception):
    pass


def jpeg_size(data):
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        pos += 2 + length
    return None


def image_info(data):
    """Returns (format, width, height) of a PNG, JPEG or GIF image, read from its header, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return "png", width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return "gif", width, height
    if data.startswith(b"\xff\xd8\xff"):
        size = jpeg_size(data)
        if size:
            return "jpeg", size[0], size[1]
    return None


def parse_options(post):
    m = SIZE.match(post.get("targetSize", ""))
    if not m:
        raise BadRequest("targetSize must look like 500x500")
    width, height = int(m.group(1)), int(m.group(2))
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_TARGET_AREA:
        raise BadRequest(
            "targetSize is too large: at most %dx%d pixels and %d pixels in all" % (MAX_SIDE, MAX_SIDE, MAX_TARGET_AREA)
        )
    delay = 10
    raw = post.get("delay", "")
    if raw != "":
        if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_DELAY:
            raise BadRequest("delay must be a whole number of milliseconds")
        delay = int(raw)
    reverted = False
    raw = post.get("appendReverted", "")
    if raw != "":
        if raw.lower() not in BOOLS:
            raise BadRequest("appendReverted must be true or false")
        reverted = BOOLS[raw.lower()]
    return width, height, (delay + 5) // 10, reverted


def save_images(files, workdir):
    """Stores each upload under a name of our own after checking its header; the returned inputs name the
    format explicitly so ImageMagick picks no other coder."""
    if not files or len(files) > MAX_IMAGES:
        raise BadRequest("between 1 and %d images are required" % MAX_IMAGES)
    inputs = []
    for i, upload in enumerate(files):
        data = upload.read()
        info = image_info(data)
        if info is None:
            raise BadRequest("image %d is not a PNG, JPEG or GIF image" % (i + 1))
        fmt, width, height = info
        if width * height > MAX_INPUT_PIXELS:
            raise BadRequest("image %d is too large" % (i + 1))
        path = Path(workdir) / ("input-%03d.%s" % (i, fmt))
        path.write_bytes(data)
        inputs.append("%s:%s" % (fmt, path))
    return inputs


@csrf_exempt
@require_POST
def create_gif(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_UPLOAD:
        return JsonResponse({"error": "the upload is too large"}, status=413)
    try:
        width, height, delay_cs, reverted = parse_options(request.POST)
        with tempfile.TemporaryDirectory(prefix="gif-") as workdir:
            inputs = save_images(request.FILES.getlist("images"), workdir)
            frames = inputs + (inputs[::-1] if reverted else [])
            if len(frames) * width * height > MAX_TOTAL_PIXELS:
                raise BadRequest("the animation would be too large")
            out = Path(workdir) / "out.gif"
            cmd = ["convert", "-delay", str(delay_cs), *frames]
            cmd += ["-resize", "%dx%d!" % (width, height), "-loop", "0", "gif:%s" % out]
            try:
                proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=CONVERT_TIMEOUT)
            except subprocess.TimeoutExpired:
                return JsonResponse({"error": "the GIF could not be created"}, status=500)
            if proc.returncode != 0 or not out.exists():
                return JsonResponse({"error": "the GIF could not be created"}, status=500)
            gif = out.read_bytes()
    except BadRequest as e:
        return JsonResponse({"error": str(e)}, status=400)
    return HttpResponse(gif, content_type="image/gif")
