import os
import re
import subprocess
import tempfile

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

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
MAX_DRAIN = 64 * 1024 * 1024  # read and thrown away of an oversized request before answering
TOO_LARGE = "the upload is too large"
INVALID = "a multipart form with images is required"


class Failure(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


async def read_form(request, limit, max_files, max_fields):
    """The multipart form of the request. A body above limit is refused; what the client still sends
    is read on and thrown away (up to MAX_DRAIN) first, so it receives the answer instead of a reset.
    Uploaded files are spooled to temporary files by the parser, not held in memory."""
    length = request.headers.get("content-length")
    too_large = length is not None and (not length.isdigit() or int(length) > limit)
    if too_large:
        drained = 0
        async for chunk in request.stream():
            drained += len(chunk)
            if drained > MAX_DRAIN:
                break
        raise Failure(413, TOO_LARGE)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Failure(400, INVALID)

    async def capped():
        nonlocal too_large
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                too_large = True
            if too_large:
                if size > MAX_DRAIN:
                    break
                continue
            yield chunk

    try:
        form = await MultiPartParser(request.headers, capped(), max_files=max_files, max_fields=max_fields).parse()
    except MultiPartException:
        raise Failure(413 if too_large else 400, TOO_LARGE if too_large else INVALID)
    if too_large:
        await form.close()
        raise Failure(413, TOO_LARGE)
    return form


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


app = FastAPI(title="GIF Creator API")


@app.post("/create-gif")
async def create_gif(request: Request):
    try:
        form = await read_form(request, MAX_UPLOAD, max_files=MAX_IMAGES, max_fields=20)
        try:
            width, height, delay, reverted = options(form)
            uploads = [u for u in form.getlist("images") if isinstance(u, UploadFile)]
            if not uploads or len(uploads) > MAX_IMAGES:
                raise Failure(400, "between 1 and 50 images are required")
            images = [await u.read() for u in uploads]
        finally:
            await form.close()
        gif = await run_in_threadpool(make_gif, images, width, height, delay, reverted)
    except Failure as f:
        return JSONResponse({"error": f.message}, status_code=f.status)
    return Response(gif, media_type="image/gif")


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=5000)
