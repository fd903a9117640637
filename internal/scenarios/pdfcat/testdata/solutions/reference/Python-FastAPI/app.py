import os
import subprocess
import tempfile

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

MAX_UPLOAD = 50 * 1024 * 1024  # whole request body
MAX_FILES = 50
MAX_DRAIN = 64 * 1024 * 1024  # read and thrown away of an oversized request before answering
TOO_LARGE = "The upload is too large."
INVALID = "Invalid input or missing files."
FAILED = "An error occurred while processing the files."


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


app = FastAPI(title="PDF Concatenation Service")


@app.post("/concatenate")
async def concatenate(request: Request):
    try:
        form = await read_form(request, MAX_UPLOAD, max_files=MAX_FILES, max_fields=20)
        try:
            uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile)]
            documents = [await u.read() for u in uploads]
        finally:
            await form.close()
        if not documents:
            raise Failure(400, INVALID)
        if not all(d.startswith(b"%PDF-") for d in documents):
            raise Failure(400, "Every file must be a PDF document.")
        result = await run_in_threadpool(concatenate_pdfs, documents)
        if result is None:
            raise Failure(500, FAILED)
    except Failure as f:
        return JSONResponse({"error": f.message}, status_code=f.status)
    return Response(result, media_type="application/pdf")


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=5000)
