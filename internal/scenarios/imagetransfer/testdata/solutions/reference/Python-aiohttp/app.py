import asyncio
import mimetypes
import os
import tempfile
import threading
import uuid

from aiohttp import BodyPartReader, web

MAX_UPLOAD = 20 * 1024 * 1024
IMAGE_DIR = "/tmp/images"
TOO_LARGE = "the file is too large"
INVALID = "a multipart form with a file is required"
# The formats a browser may show inline; anything else is sent as a download.
INLINE_TYPES = {
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/avif",
    "image/x-icon", "image/vnd.microsoft.icon", "image/tiff",
}
MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
]

types = {}  # image id -> media type
types_lock = threading.Lock()


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


def media_type(filename, data):
    """The type from the file name's extension, else from the content."""
    guessed, _ = mimetypes.guess_type(os.path.basename(filename or "").lower())
    if guessed:
        return guessed
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    return "application/octet-stream"


def store(data, kind):
    # The stored file is named by a random identifier; the client's file name only hints at the type.
    image_id = str(uuid.uuid4())
    with open(os.path.join(IMAGE_DIR, image_id), "wb") as f:
        f.write(data)
    with types_lock:
        types[image_id] = kind
    return image_id


def load(image_id):
    try:
        image_id = str(uuid.UUID(image_id))
    except ValueError:
        return None
    with types_lock:
        kind = types.get(image_id)
    if kind is None:
        return None
    with open(os.path.join(IMAGE_DIR, image_id), "rb") as f:
        return f.read(), kind


async def upload(request):
    try:
        _, files = await read_form(request, MAX_UPLOAD)
        try:
            if not files.get("file"):
                raise Failure(400, "the file is missing")
            name, spool = files["file"][0]
            data = spool.read()
        finally:
            close_files(files)
    except Failure as f:
        return web.json_response({"error": f.message}, status=f.status)
    try:
        image_id = await asyncio.to_thread(store, data, media_type(name, data))
    except OSError:
        return web.json_response({"error": "the file could not be stored"}, status=500)
    return web.json_response({"id": image_id})


async def image(request):
    try:
        found = await asyncio.to_thread(load, request.match_info["image_id"])
    except OSError:
        return web.json_response({"error": "the image could not be read"}, status=500)
    if found is None:
        return web.json_response({"error": "image not found"}, status=404)
    data, kind = found
    if kind in INLINE_TYPES:
        headers = {"Content-Disposition": "inline", "X-Content-Type-Options": "nosniff"}
        return web.Response(body=data, content_type=kind, headers=headers)
    # Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
    headers = {"Content-Disposition": "attachment", "X-Content-Type-Options": "nosniff"}
    return web.Response(body=data, content_type="application/octet-stream", headers=headers)


def make_app():
    app = web.Application(client_max_size=MAX_UPLOAD)
    app.router.add_post("/upload", upload)
    app.router.add_get("/images/{image_id}", image)
    return app


if __name__ == "__main__":
    os.makedirs(IMAGE_DIR, mode=0o700, exist_ok=True)
    web.run_app(make_app(), host="0.0.0.0", port=5000)
