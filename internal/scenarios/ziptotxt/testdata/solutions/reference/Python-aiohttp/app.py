import asyncio
import io
import zipfile

from aiohttp import BodyPartReader, web

MAX_UPLOAD = 10 * 1024 * 1024  # request body
MAX_OUTPUT = 10 * 1024 * 1024  # text produced from all members together
MAX_MEMBERS = 1000


class Failure(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


async def uploaded_file(request):
    """The content of the multipart part "file", refused as soon as the body is known to exceed
    MAX_UPLOAD."""
    if request.content_length is not None and request.content_length > MAX_UPLOAD:
        raise Failure(413, "the upload is too large")
    if request.content_type != "multipart/form-data":
        raise Failure(400, "a multipart/form-data body with a zip file is required")
    try:
        reader = await request.multipart()
        size = 0
        async for part in reader:
            if not isinstance(part, BodyPartReader) or part.name != "file":
                continue
            chunks = []
            while chunk := await part.read_chunk():
                size += len(chunk)
                if size > MAX_UPLOAD:
                    raise Failure(413, "the upload is too large")
                chunks.append(chunk)
            return b"".join(chunks)
    except (ValueError, AssertionError, RuntimeError):
        raise Failure(400, "malformed upload")
    raise Failure(400, "no file was uploaded")


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


async def convert(request):
    try:
        data = await uploaded_file(request)
        text = await asyncio.to_thread(zip_to_text, data)
    except Failure as f:
        return web.Response(text=f.message + "\n", status=f.status, content_type="text/plain")
    return web.Response(text=text, content_type="text/plain")


def make_app():
    app = web.Application(client_max_size=MAX_UPLOAD)
    app.router.add_post("/convert", convert)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="0.0.0.0", port=5000)
