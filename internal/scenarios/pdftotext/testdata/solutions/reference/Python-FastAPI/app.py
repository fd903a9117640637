import os
import subprocess
import tempfile

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

# Larger uploads are refused before any processing.
MAX_UPLOAD = 5 * 1024 * 1024
MAX_DRAIN = 64 * 1024 * 1024  # read and thrown away of an oversized request before answering
TOO_LARGE = "the file is too large"
INVALID = "a multipart/form-data body with a file is required"


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


app = FastAPI(title="PDF to Text Converter API")


@app.post("/convert")
async def convert(request: Request):
    try:
        form = await read_form(request, MAX_UPLOAD, max_files=5, max_fields=20)
        try:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise Failure(400, "no file was uploaded")
            data = await upload.read()
        finally:
            await form.close()
        if not data:
            raise Failure(400, "the file is empty")
        text = await run_in_threadpool(pdf_to_text, data)
        if text is None:
            raise Failure(500, "the file could not be converted")
    except Failure as f:
        return PlainTextResponse(f.message + "\n", status_code=f.status)
    return PlainTextResponse(text)


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=5000)
