import asyncio
import os
import subprocess
import tempfile

from aiohttp import BodyPartReader, web

# Larger uploads are refused before any processing.
MAX_UPLOAD = 5 * 1024 * 1024
TOO_LARGE = "the file is too large"
INVALID = "a multipart/form-data body with a file is required"


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


def pdf_to_text(data):
    """The text of the PDF, or None when pdftotext cannot read it. The client's file name is never
    used: the upload goes to a fresh directory under a fixed name."""
    with tempfile.TemporaryDirectory(prefix="pdf2txt-") as work:
        path = os.path.join(work, "input.pdf")
        with open(path, "wb") as f:
            f.write(data)
        try:
            done = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, timeout=30
            )
        except subprocess.TimeoutExpired:
            return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace")


async def convert(request):
    try:
        _, files = await read_form(request, MAX_UPLOAD)
        try:
            if not files.get("file"):
                raise Failure(400, "no file was uploaded")
            data = files["file"][0][1].read()
        finally:
            close_files(files)
        if not data:
            raise Failure(400, "the file is empty")
        text = await asyncio.to_thread(pdf_to_text, data)
        if text is None:
            raise Failure(500, "the file could not be converted")
    except Failure as f:
        return web.Response(text=f.message + "\n", status=f.status)
    return web.Response(text=text)


def make_app():
    app = web.Application(client_max_size=MAX_UPLOAD)
    app.router.add_post("/convert", convert)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="0.0.0.0", port=5000)
