import json
import os
import re
import subprocess
import sys

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_GET

FILES_ROOT = settings.BASE_DIR / "files"
FILES_ROOT.mkdir(parents=True, exist_ok=True)
MAX_REGEX = 1000
MAX_FILE_SIZE = 1024 * 1024  # larger files are not searched
MAX_FILES = 10000
MATCH_TIMEOUT = 5  # seconds for all matching of one request
BOOLS = {"true": True, "1": True, "false": False, "0": False}

# Python's re backtracks, so a pattern can take exponential time: matching runs in a child process
# that is killed when it exceeds the time budget. It reads {"regex", "paths"} and prints the indexes
# of the matching files.
MATCHER = """
import json, re, sys
job = json.load(sys.stdin)
regex = re.compile(job["regex"].encode("utf-8", "surrogateescape"))
hits = []
for i, path in enumerate(job["paths"]):
    try:
        with open(path, "rb") as f:
            if regex.search(f.read()):
                hits.append(i)
    except OSError:
        pass
json.dump(hits, sys.stdout)
"""


def fail(status, message):
    return JsonResponse({"error": message}, status=status)


def inside(root, path):
    return path == root or path.startswith(root + os.sep)


def resolve_dir(root, directory):
    """Maps the requested directory to a real path inside the files root (symlinks followed), or None."""
    target = os.path.normpath(os.path.join(root, directory))
    if not inside(root, target):
        return None
    real = os.path.realpath(target)
    if not inside(root, real) or not os.path.isdir(real):
        return None
    return real


def candidates(directory, recursive):
    """Regular files of at most MAX_FILE_SIZE bytes, as (relative name, path)."""
    found = []
    for current, dirs, files in os.walk(directory):
        if not recursive:
            dirs.clear()
        for name in files:
            path = os.path.join(current, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            if len(found) >= MAX_FILES:
                raise OverflowError()
            if os.path.getsize(path) <= MAX_FILE_SIZE:
                found.append((os.path.relpath(path, directory).replace(os.sep, "/"), path))
    return found


@require_GET
def search(request):
    pattern = request.GET.get("regex")
    if pattern is None or len(pattern) > MAX_REGEX:
        return fail(400, "a regex of at most 1000 characters is required")
    try:
        re.compile(pattern)
    except re.error:
        return fail(400, "malformed regex")
    recursive = request.GET.get("recursive", "")
    if recursive and recursive.lower() not in BOOLS:
        return fail(400, "recursive must be true or false")
    recursive = BOOLS.get(recursive.lower(), False)
    root = os.path.realpath(FILES_ROOT)
    directory = resolve_dir(root, request.GET.get("directory", ""))
    if directory is None:
        return fail(400, "inaccessible directory")
    try:
        files = candidates(directory, recursive)
    except OverflowError:
        return fail(400, "the directory holds too many files")
    if not files:
        return JsonResponse({"files": []})
    job = json.dumps({"regex": pattern, "paths": [p for _, p in files]})
    try:
        proc = subprocess.run(
            [sys.executable, "-I", "-c", MATCHER],
            input=job.encode("utf-8"),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=MATCH_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return fail(400, "the regex took too long to evaluate")
    if proc.returncode != 0:
        return fail(400, "malformed regex")
    hits = json.loads(proc.stdout)
    return JsonResponse({"files": [files[i][0] for i in hits]})
