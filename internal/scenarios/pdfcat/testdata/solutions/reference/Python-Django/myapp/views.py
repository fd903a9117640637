import subprocess
import tempfile
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

MAX_UPLOAD = 50 * 1024 * 1024  # whole request body
MAX_FILES = 50
INVALID = "Invalid input or missing files."
FAILED = "An error occurred while processing the files."


def error(status, message):
    return JsonResponse({"error": message}, status=status)


@csrf_exempt
@require_POST
def concatenate(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_UPLOAD:
        return error(413, "The upload is too large.")
    if not request.content_type == "multipart/form-data":
        return error(400, INVALID)
    files = request.FILES.getlist("files")
    if not files:
        return error(400, INVALID)
    if len(files) > MAX_FILES:
        return error(400, "Too many files.")
    # Client file names are never used: each upload is stored under a generated name in a fresh
    # directory, and pdfunite gets the paths as separate arguments (no shell).
    with tempfile.TemporaryDirectory(prefix="pdfcat-") as workdir:
        inputs = []
        for i, upload in enumerate(files):
            data = upload.read()
            if not data.startswith(b"%PDF-"):
                return error(400, "Every file must be a PDF document.")
            path = Path(workdir) / ("input-%03d.pdf" % i)
            path.write_bytes(data)
            inputs.append(str(path))
        out = Path(workdir) / "concatenated.pdf"
        try:
            proc = subprocess.run(
                ["pdfunite", *inputs, str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60
            )
        except subprocess.TimeoutExpired:
            return error(500, FAILED)
        if proc.returncode != 0 or not out.exists():
            return error(500, FAILED)
        result = out.read_bytes()
    return HttpResponse(result, content_type="application/pdf")
