import asyncio
import json
import os
import re
import subprocess
import sys

from aiohttp import web

FILES_ROOT = "files"
MAX_REGEX = 1000
MAX_FILE_SIZE = 1024 * 1024  # larger files are not searched
MAX_FILES = 10000
MATCH_SECONDS = 5.0  # generous: includes starting the interpreter on a busy machine
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
# Python's re backtracks, so a hostile pattern can run for ages: the files are matched in a child
# interpreter that is killed when its time is up.
MATCHER = """
import json, re, sys
job = json.load(sys.stdin)
pattern = re.compile(job["regex"])
hits = []
for i, path in enumerate(job["paths"]):
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
    except OSError:
        continue
    if pattern.search(text):
        hits.append(i)
json.dump(hits, sys.stdout)
"""


class Failure(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def inside(root, path):
    return path == root or path.startswith(root + os.sep)


def resolve_dir(root, directory):
    """The requested directory inside the files root; leaving the root (also through symbolic links)
    is refused."""
    if "\x00" in directory:
        raise Failure(400, "inaccessible directory")
    target = os.path.normpath(os.path.join(root, directory))
    if not inside(root, target):
        raise Failure(400, "inaccessible directory")
    real = os.path.realpath(target)
    if not inside(root, real) or not os.path.isdir(real):
        raise Failure(400, "inaccessible directory")
    return real


def candidates(base, recursive):
    """Regular files to search (relative name, path); symbolic links and huge files are skipped."""
    found = []
    stack = [base]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if recursive:
                    stack.append(entry.path)
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            if len(found) >= MAX_FILES:
                raise Failure(400, "the directory holds too many files")
            try:
                if entry.stat(follow_symlinks=False).st_size > MAX_FILE_SIZE:
                    continue
            except OSError:
                continue
            found.append((os.path.relpath(entry.path, base).replace(os.sep, "/"), entry.path))
    return found


def search(params):
    regex = params.get("regex")
    if regex is None or len(regex) > MAX_REGEX:
        raise Failure(400, "a regex of at most 1000 characters is required")
    try:
        re.compile(regex)
    except (re.error, RecursionError, OverflowError):
        raise Failure(400, "malformed regex")
    recursive = BOOLEANS.get((params.get("recursive") or "false").lower())
    if recursive is None:
        raise Failure(400, "recursive must be true or false")
    root = os.path.realpath(FILES_ROOT)
    base = resolve_dir(root, params.get("directory") or "")
    files = candidates(base, recursive)
    if not files:
        return {"files": []}
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", MATCHER],
            input=json.dumps({"regex": regex, "paths": [p for _, p in files]}),
            capture_output=True, text=True, timeout=MATCH_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise Failure(400, "the regex takes too long to match")
    if done.returncode != 0:
        raise Failure(400, "malformed regex")
    return {"files": sorted(files[i][0] for i in json.loads(done.stdout))}


async def search_files(request):
    try:
        answer = await asyncio.to_thread(search, request.query)
    except Failure as f:
        return web.json_response({"error": f.message}, status=f.status)
    return web.json_response(answer)


def make_app():
    app = web.Application()
    app.router.add_get("/search", search_files)
    return app


if __name__ == "__main__":
    os.makedirs(FILES_ROOT, exist_ok=True)
    web.run_app(make_app(), host="0.0.0.0", port=5000)
