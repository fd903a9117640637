import os
import shutil
import subprocess
import tempfile

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

MAX_UPLOAD = 100 * 1024 * 1024  # largest accepted request body
FFMPEG_SECONDS = 60
MAX_DRAIN = 64 * 1024 * 1024  # read and thrown away of an oversized request before answering
TOO_LARGE = "the upload is too large"
INVALID = "a multipart form with a video is required"


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


def extract_frame(video, frame):
    """The PNG of the frame with the given 0-based index, or None when the video has no such frame.
    The client's file names are never used as paths: the video is stored under a fixed name in a fresh
    directory, and ffmpeg gets an argument list (no shell)."""
    with tempfile.TemporaryDirectory(prefix="extract-") as work:
        path = os.path.join(work, "input")
        with open(path, "wb") as f:
            video.seek(0)
            shutil.copyfileobj(video, f)
        out = os.path.join(work, "frame.png")
        command = [
            "ffmpeg", "-nostdin", "-i", path, "-vf", "select=eq(n\\,%d)" % frame, "-vframes", "1", out, "-y",
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=FFMPEG_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        if not os.path.exists(out) or os.path.getsize(out) == 0:
            return None
        with open(out, "rb") as f:
            return f.read()


app = FastAPI(title="FrameExtract")


@app.post("/extract")
async def extract(request: Request):
    try:
        form = await read_form(request, MAX_UPLOAD, max_files=2, max_fields=20)
        try:
            number = form.get("frameNumber")
            number = number.strip() if isinstance(number, str) else ""
            if not (number.isascii() and number.isdigit()):
                raise Failure(400, "frameNumber must be a non-negative integer")
            frame = int(number)
            video = form.get("video")
            if not isinstance(video, UploadFile):
                raise Failure(400, "the video file is missing")
            png = await run_in_threadpool(extract_frame, video.file, frame)
        finally:
            await form.close()
        if png is None:
            raise Failure(404, "Frame at index %d could not be found." % frame)
    except Failure as f:
        return JSONResponse({"error": f.message}, status_code=f.status)
    return Response(png, media_type="image/png")


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=5000)
