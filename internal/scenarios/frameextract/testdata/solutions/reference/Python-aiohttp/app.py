import asyncio
import os
import shutil
import subprocess
import tempfile

from aiohttp import BodyPartReader, web

MAX_UPLOAD = 100 * 1024 * 1024  # largest accepted request body
FFMPEG_SECONDS = 60
TOO_LARGE = "the upload is too large"
INVALID = "a multipart form with a video is required"


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


async def extract(request):
    try:
        fields, files = await read_form(request, MAX_UPLOAD)
        try:
            number = (fields.get("frameNumber") or [""])[0].strip()
            if not (number.isascii() and number.isdigit()):
                raise Failure(400, "frameNumber must be a non-negative integer")
            frame = int(number)
            if not files.get("video"):
                raise Failure(400, "the video file is missing")
            png = await asyncio.to_thread(extract_frame, files["video"][0][1], frame)
        finally:
            close_files(files)
        if png is None:
            raise Failure(404, "Frame at index %d could not be found." % frame)
    except Failure as f:
        return web.json_response({"error": f.message}, status=f.status)
    return web.Response(body=png, content_type="image/png")


def make_app():
    app = web.Application(client_max_size=MAX_UPLOAD)
    app.router.add_post("/extract", extract)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="0.0.0.0", port=5000)
