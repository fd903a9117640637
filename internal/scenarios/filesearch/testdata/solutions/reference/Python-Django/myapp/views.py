import json
import os
import posixpath
import re
import stat

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

DATA_DIR = "/data"
MAX_READ = 10 * 1024 * 1024  # bytes of a file searched for content
MAX_FILES = 10000


class OutsideData(Exception):
    pass


def search_root(directory):
    """Resolves search_dir inside the data directory (relative to it even with a leading slash).

    ".." is refused and the resolved path, symlinks followed, must stay inside /data.
    Returns None when there is nothing to search."""
    if "\x00" in directory:
        raise OutsideData("invalid search_dir")
    if ".." in re.split(r"[/\\]", directory):
        raise OutsideData("search_dir must stay inside the data directory")
    root = posixpath.join(DATA_DIR, posixpath.normpath("/" + directory).lstrip("/")).rstrip("/")
    if not os.path.isdir(DATA_DIR) or not os.path.isdir(root):
        return None
    base, real = os.path.realpath(DATA_DIR), os.path.realpath(root)
    if real != base and not real.startswith(base + os.sep):
        raise OutsideData("search_dir must stay inside the data directory")
    return root


def contains(path, needle):
    try:
        with open(path, "rb") as f:
            return needle in f.read(MAX_READ)
    except OSError:
        return False


@csrf_exempt
@require_POST
def search(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JsonResponse({"error": "invalid JSON body"}, status=400)
    content, name, directory = (body.get(k) or "" for k in ("search_content", "search_filename", "search_dir"))
    if not all(isinstance(v, str) for v in (content, name, directory)):
        return JsonResponse({"error": "search fields must be strings"}, status=400)
    if not content and not name:
        return JsonResponse({"error": "search_content or search_filename is required"}, status=400)
    try:
        root = search_root(directory)
    except OutsideData as e:
        return JsonResponse({"error": str(e)}, status=400)
    found = []
    needle = content.encode("utf-8")
    if root is not None:
        for current, _dirs, files in os.walk(root):  # symlinked directories are not followed
            for f in files:
                path = os.path.join(current, f)
                try:
                    regular = stat.S_ISREG(os.lstat(path).st_mode)
                except OSError:
                    continue
                if not regular:
                    continue  # symlinks and special files are skipped
                if (name and f.startswith(name)) or (content and contains(path, needle)):
                    found.append(path)
            if len(found) >= MAX_FILES:
                break
    return JsonResponse({"files": sorted(found[:MAX_FILES])}, status=200)
