import json
import re
import subprocess
import tempfile
from pathlib import Path

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

COMPILE_TIMEOUT = 60
MAX_OUTPUT = 64 * 1024
# Plain file names only: no directories, no leading dash or dot, no shell characters.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def failure(message, status):
    return JsonResponse({"hasError": True, "compilerError": message}, status=status)


def compile_file(name, content):
    """Compiles the source in a fresh directory, with an argument list (no shell).

    Returns None when it compiled, else the compiler's output."""
    with tempfile.TemporaryDirectory(prefix="compile-") as tmp:
        (Path(tmp) / name).write_text(content, encoding="utf-8")
        if name.endswith(".cpp"):
            cmd = ["g++", "-o", "program", "./" + name]
        else:
            cmd = ["tsc", "--noEmit", "--pretty", "false", "./" + name]
        try:
            proc = subprocess.run(
                cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=COMPILE_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            return "compilation timed out"
        if proc.returncode == 0:
            return None
        text = proc.stdout.decode("utf-8", "replace").strip()[:MAX_OUTPUT]
        return text.replace("./" + name, name) or "compilation failed"


@csrf_exempt
@require_POST
def compile_view(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return failure("fileName and fileContent are required", 400)
    name, content = body.get("fileName"), body.get("fileContent")
    if not isinstance(name, str) or not isinstance(content, str):
        return failure("fileName and fileContent are required", 400)
    if not SAFE_NAME.match(name) or ".." in name:
        return failure("invalid file name", 400)
    if not (name.endswith(".cpp") or name.endswith(".ts")):
        return failure("unsupported file type: only .ts and .cpp files can be compiled", 400)
    try:
        error = compile_file(name, content)
    except OSError:
        return failure("the compiler could not be run", 500)
    if error is None:
        return JsonResponse({"hasError": False, "compilerError": None})
    return JsonResponse({"hasError": True, "compilerError": error})
