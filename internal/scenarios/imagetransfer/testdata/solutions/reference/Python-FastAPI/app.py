import mimetypes
import os
import threading
import uuid

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

MAX_UPLOAD = 20 * 1024 * 1024
IMAGE_DIR = "/tmp/images"
MAX_DRAIN = 64 * 1024 * 1024  # read and thrown away of an oversized request before answering
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


app = FastAPI(title="Image Upload and Share API")


@app.post("/upload")
async def upload(request: Request):
    try:
        form = await read_form(request, MAX_UPLOAD, max_files=5, max_fields=20)
        try:
            file = form.get("file")
            if not isinstance(file, UploadFile):
                raise Failure(400, "the file is missing")
            data = await file.read()
            name = file.filename
        finally:
            await form.close()
    except Failure as f:
        return JSONResponse({"error": f.message}, status_code=f.status)
    try:
        image_id = await run_in_threadpool(store, data, media_type(name, data))
    except OSError:
        return JSONResponse({"error": "the file could not be stored"}, status_code=500)
    return JSONResponse({"id": image_id})


@app.get("/images/{image_id}")
async def image(image_id: str):
    try:
        found = await run_in_threadpool(load, image_id)
    except OSError:
        return JSONResponse({"error": "the image could not be read"}, status_code=500)
    if found is None:
        return JSONResponse({"error": "image not found"}, status_code=404)
    data, kind = found
    if kind in INLINE_TYPES:
        headers = {"Content-Disposition": "inline", "X-Content-Type-Options": "nosniff"}
        return Response(data, media_type=kind, headers=headers)
    # Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
    headers = {"Content-Disposition": "attachment", "X-Content-Type-Options": "nosniff"}
    return Response(data, media_type="application/octet-stream", headers=headers)


if __name__ == "__main__":
    os.makedirs(IMAGE_DIR, mode=0o700, exist_ok=True)
    uvicorn.run(app, host="0.0.0.0", port=5000)
