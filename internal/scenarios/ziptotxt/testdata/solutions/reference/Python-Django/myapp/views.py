import io
import zipfile

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

MAX_UPLOAD = 10 * 1024 * 1024  # request body
MAX_OUTPUT = 10 * 1024 * 1024  # text produced from all members together
MAX_MEMBERS = 1000
CHUNK = 64 * 1024


def text(status, message):
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


class TooMuchText(Exception):
    pass


def extract_text(archive):
    """Concatenates the .txt members. Members are read in memory only, never extracted to disk, and
    nested archives are not opened; the output is bounded whatever the members' headers claim."""
    out = bytearray()
    for info in archive.infolist():
        if info.is_dir() or not info.filename.lower().endswith(".txt"):
            continue
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                out += chunk
                if len(out) > MAX_OUTPUT:
                    raise TooMuchText()
        if out and not out.endswith(b"\n"):
            out += b"\n"
    return bytes(out)


@csrf_exempt
@require_POST
def convert(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_UPLOAD:
        return text(413, "the upload is too large")
    if request.content_type != "multipart/form-data":
        return text(400, "a multipart/form-data body with a zip file is required")
    upload = request.FILES.get("file")
    if upload is None:
        return text(400, "no file was uploaded")
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.read()))
    except (zipfile.BadZipFile, OSError, ValueError):
        return text(400, "the file is not a valid zip archive")
    if len(archive.infolist()) > MAX_MEMBERS:
        return text(400, "the archive has too many members")
    try:
        result = extract_text(archive)
    except TooMuchText:
        return text(413, "the archive expands to too much text")
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError):
        return text(400, "the archive could not be read")
    return HttpResponse(result, content_type="text/plain; charset=utf-8")
