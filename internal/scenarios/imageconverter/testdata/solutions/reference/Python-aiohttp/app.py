import asyncio
import os
import re
import subprocess
import tempfile

from aiohttp import BodyPartReader, web

MAX_UPLOAD = 50 * 1024 * 1024  # largest accepted request body
MAX_IMAGES = 50  # images in one GIF
MAX_SIDE = 4000  # largest target width or height in pixels
MAX_TARGET_AREA = 4_000_000  # largest target area in pixels
MAX_TOTAL_PIXELS = 64_000_000
MAX_INPUT_PIXELS = 40_000_000  # largest uploaded image, against decompression bombs
MAX_DELAY = 655350  # GIF delays are 16-bit hundredths of a second
CONVERT_SECONDS = 60
SIZE_RE = re.compile(r"^([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$")
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
MAGIC = [(b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"), (b"GIF89a", "gif")]
TOO_LARGE = "the upload is too large"
INVALID = "a multipart form with images is required"


class Failure(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


async def read_form(request, limit):
    """The multipart form as (fields, files): name -> list of text values, and name -> list of
    (file name, spooled temporary file). A body above limit is refused as soon as that is known;
    aiohttp reads on what is left of a refused request (lingering), so the client gets the answer."""
    if request.content_length is not None and request.content_length > limit:
        raise Failure(413, TOO_LARGE)
    if request.content_type != "multipart/form-data":
        raise Failure(400, INVALID)
    fields, files, size = {}, {}, 0
    try:
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                raise Failure(400, INVALID)
            spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)
            while chunk := await part.read_chunk():
                size += len(chunk)
                if size > limit:
                    spool.close()
                    raise Failure(413, TOO_LARGE)
                spool.write(chunk)
            spool.seek(0)
            if part.filename is None:
                fields.setdefault(part.name, []).append(spool.read().decode("utf-8", errors="replace"))
                spool.close()
            else:
                files.setdefault(part.name, []).append((part.filename, spool))
    except (ValueError, AssertionError, RuntimeError):
        raise Failure(400, INVALID)
    return fields, files


def close_files(files):
    for uploads in files.values():
        for _, spool in uploads:
            spool.close()


def options(form):
    """(width, height, delay in hundredths of a second, append reverted) from the form fields."""
    size = SIZE_RE.match(str(form.get("targetSize") or ""))
    if size is None:
        raise Failure(400, "targetSize must look like 500x500")
    width, height = int(size.group(1)), int(size.group(2))
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_TARGET_AREA:
        raise Failure(400, "targetSize is too large: at most 4000x4000 pixels and 4000000 pixels in all")
    delay = str(form.get("delay") or "10").strip()
    if not (delay.isascii() and delay.isdigit()) or int(delay) > MAX_DELAY:
        raise Failure(400, "delay must be a whole number of milliseconds")
    reverted = BOOLEANS.get(str(form.get("appendReverted") or "false").strip().lower())
    if reverted is None:
        raise Failure(400, "appendReverted must be true or false")
    return width, height, (int(delay) + 5) // 10, reverted


def image_format(data):
    for magic, name in MAGIC:
        if data.startswith(magic):
            return name
    return None


def make_gif(images, width, height, delay, reverted):
    """Stores each upload under a name of our own and runs ImageMagick with an argument list (no
    shell); every input names its format explicitly so ImageMagick picks no other coder."""
    with tempfile.TemporaryDirectory(prefix="gif-") as work:
        inputs = []
        for i, data in enumerate(images):
            kind = image_format(data)
            if kind is None:
                raise Failure(400, "image %d is not a PNG, JPEG or GIF image" % (i + 1))
            path = os.path.join(work, "input-%03d.%s" % (i, kind))
            with open(path, "wb") as f:
                f.write(data)
            probe = subprocess.run(
                ["identify", "-ping", "-format", "%w %h\n", kind + ":" + path],
                capture_output=True, text=True, timeout=CONVERT_SECONDS,
            )
            dims = probe.stdout.split()
            if probe.returncode != 0 or len(dims) < 2 or not all(d.isdigit() for d in dims[:2]):
                raise Failure(400, "image %d could not be read" % (i + 1))
            if int(dims[0]) * int(dims[1]) > MAX_INPUT_PIXELS:
                raise Failure(400, "image %d is too large" % (i + 1))
            inputs.append(kind + ":" + path)
        frames = inputs + (inputs[::-1] if reverted else [])
        if len(frames) * width * height > MAX_TOTAL_PIXELS:
            raise Failure(400, "the animation would be too large")
        out = os.path.join(work, "out.gif")
        command = ["convert", "-delay", str(delay), *frames, "-resize", "%dx%d!" % (width, height),
                   "-loop", "0", "gif:" + out]
        try:
            done = subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS)
        except subprocess.TimeoutExpired:
            raise Failure(500, "the GIF could not be created")
        if done.returncode != 0 or not os.path.exists(out):
            raise Failure(500, "the GIF could not be created")
        with open(out, "rb") as f:
            return f.read()


async def create_gif(request):
    try:
        fields, files = await read_form(request, MAX_UPLOAD)
        try:
            width, height, delay, reverted = options({k: v[0] for k, v in fields.items()})
            uploads = files.get("images", [])
            if not uploads or len(uploads) > MAX_IMAGES:
                raise Failure(400, "between 1 and 50 images are required")
            images = [spool.read() for _, spool in uploads]
        finally:
            close_files(files)
        gif = await asyncio.to_thread(make_gif, images, width, height, delay, reverted)
    except Failure as f:
        return web.json_response({"error": f.message}, status=f.status)
    return web.Response(body=gif, content_type="image/gif")


def make_app():
    app = web.Application(client_max_size=MAX_UPLOAD)
    app.router.add_post("/create-gif", create_gif)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="0.0.0.0", port=5000)
