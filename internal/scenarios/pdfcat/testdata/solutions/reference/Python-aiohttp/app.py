import asyncio
import os
import subprocess
import tempfile

from aiohttp import BodyPartReader, web

MAX_UPLOAD = 50 * 1024 * 1024  # whole request body
MAX_FILES = 50
TOO_LARGE = "The upload is too large."
INVALID = "Invalid input or missing files."
FAILED = "An error occurred while processing the files."


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


def concatenate_pdfs(documents):
    """The concatenated PDF, or None when pdfunite fails. Client file names are never used: each upload
    is stored under a generated name in a fresh directory, and pdfunite gets the paths as separate
    arguments (no shell)."""
    with tempfile.TemporaryDirectory(prefix="pdfcat-") as work:
        paths = []
        for i, data in enumerate(documents):
            path = os.path.join(work, "input-%03d.pdf" % i)
            with open(path, "wb") as f:
                f.write(data)
            paths.append(path)
        out = os.path.join(work, "concatenated.pdf")
        try:
            done = subprocess.run(["pdfunite", *paths, out], capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            return None
        if done.returncode != 0 or not os.path.exists(out):
            return None
        with open(out, "rb") as f:
            return f.read()


async def concatenate(request):
    try:
        _, files = await read_form(request, MAX_UPLOAD)
        try:
            documents = [spool.read() for _, spool in files.get("files", [])]
        finally:
            close_files(files)
        if not documents:
            raise Failure(400, INVALID)
        if len(documents) > MAX_FILES:
            raise Failure(400, "Too many files.")
        if not all(d.startswith(b"%PDF-") for d in documents):
            raise Failure(400, "Every file must be a PDF document.")
        result = await asyncio.to_thread(concatenate_pdfs, documents)
        if result is None:
            raise Failure(500, FAILED)
    except Failure as f:
        return web.json_response({"error": f.message}, status=f.status)
    return web.Response(body=result, content_type="application/pdf")


def make_app():
    app = web.Application(client_max_size=MAX_UPLOAD)
    app.router.add_post("/concatenate", concatenate)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="0.0.0.0", port=5000)
