import io
import zipfile

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

MAX_UPLOAD = 10 * 1024 * 1024  # request body
MAX_OUTPUT = 10 * 1024 * 1024  # text produced from all members together
MAX_MEMBERS = 1000
CHUNK = 64 * 1024

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD


def text(status, message):
    return Response(message + "\n", status=status, mimetype="text/plain")


@app.errorhandler(RequestEntityTooLarge)
def too_large(_):
    return text(413, "the upload is too large")


class TooMuchText(Exception):
    pass


def archive_text(archive):
    """The text of the archive's .txt members. Members are read in memory only, never extracted to
    disk, and nested archives are not opened; the total output is bounded whatever the headers claim."""
    out = bytearray()
    for info in archive.infolist():
        if info.is_dir() or not info.filename.lower().endswith(".txt"):
            continue
        with archive.open(info) as member:
            while True:
                chunk = member.read(CHUNK)
                if not chunk:
                    break
                out += chunk
                if len(out) > MAX_OUTPUT:
                    raise TooMuchText()
        if out and not out.endswith(b"\n"):
            out += b"\n"
    return bytes(out)


@app.post("/convert")
def convert():
    upload = request.files.get("file")
    if upload is None:
        return text(400, "a multipart/form-data body with a zip file is required")
    data = upload.read()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return text(400, "the file is not a valid zip archive")
    with archive:
        if len(archive.infolist()) > MAX_MEMBERS:
            return text(400, "the archive has too many members")
        try:
            content = archive_text(archive)
        except TooMuchText:
            return text(413, "the archive expands to too much text")
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
            return text(400, "the archive could not be read")
    return Response(content, status=200, mimetype="text/plain")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
