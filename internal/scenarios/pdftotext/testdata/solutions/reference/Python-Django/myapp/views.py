import subprocess
import tempfile
from pathlib import Path

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

# Larger uploads are refused before any processing.
MAX_UPLOAD = 5 * 1024 * 1024


def text(status, message):
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
def convert(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_UPLOAD:
        return text(413, "the file is too large")
    if request.content_type != "multipart/form-data":
        return text(400, "a multipart/form-data body with a file is required")
    upload = request.FILES.get("file")
    if upload is None:
        return text(400, "no file was uploaded")
    data = upload.read()
    if not data:
        return text(400, "the file is empty")
    # The client's file name is never used: the upload goes to a fresh directory under a fixed name.
    with tempfile.TemporaryDirectory(prefix="pdf2txt-") as workdir:
        path = Path(workdir) / "input.pdf"
        path.write_bytes(data)
        try:
            proc = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", str(path), "-"],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                timeout=30,
            )
        except subprocess.TimeoutExpired:
            return text(500, "the file could not be converted")
    if proc.returncode != 0:
        return text(500, "the file could not be converted")
    return HttpResponse(proc.stdout, content_type="text/plain; charset=utf-8")
