import io
import zipfile

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

MAX_UPLOAD = 10 * 1024 * 1024  # request body
MAX_OUTPUT = 10 * 1024 * 1024  # text produced from all members together
MAX_MEMBERS = 1000


class Failure(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


async def read_body(request):
    """The request body, refused as soon as it is known to exceed MAX_UPLOAD."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_UPLOAD):
        raise Failure(413, "the upload is too large")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_UPLOAD:
            raise Failure(413, "the upload is too large")
        chunks.append(chunk)
    return b"".join(chunks)


async def uploaded_file(request):
    """The content of the multipart part "file"."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Failure(400, "a multipart/form-data body with a zip file is required")
    body = await read_body(request)

    async def stream():
        yield body

    try:
        form = await MultiPartParser(request.headers, stream(), max_files=10, max_fields=100).parse()
    except MultiPartException:
        raise Failure(400, "malformed upload")
    try:
        upload = form.get("file")
        if isinstance(upload, UploadFile):
            return await upload.read()
        if isinstance(upload, str):
            return upload.encode("utf-8", errors="surrogateescape")
        raise Failure(400, "no file was uploaded")
    finally:
        await form.close()


def zip_to_text(data):
    """The text of the archive's .txt members. Members are read in memory only, never extracted to
    disk, nested archives are not opened, and the output is bounded whatever the headers claim."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Failure(400, "the file is not a valid zip archive")
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise Failure(400, "the archive has too many members")
        out, size = [], 0
        for info in members:
            if info.is_dir() or not info.filename.lower().endswith(".txt"):
                continue
            left = MAX_OUTPUT - size
            try:
                with archive.open(info) as member:
                    content = member.read(left + 1)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError):
                raise Failure(400, "the archive could not be read")
            if len(content) > left:
                raise Failure(413, "the archive expands to too much text")
            text = content.decode("utf-8", errors="replace")
            if text and not text.endswith("\n"):
                text += "\n"
            out.append(text)
            size += len(content) + 1
        return "".join(out)


app = FastAPI(title="ZipToTxt")


@app.post("/convert")
async def convert(request: Request):
    try:
        data = await uploaded_file(request)
        text = await run_in_threadpool(zip_to_text, data)
    except Failure as f:
        return PlainTextResponse(f.message + "\n", status_code=f.status)
    return PlainTextResponse(text)


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=5000)
