import asyncio
import json
import os

from aiohttp import web

DATA_DIR = "/data"
MAX_READ = 10 * 1024 * 1024  # bytes of a file searched for content
MAX_FILES = 10000


class Failure(Exception):
    pass


def search_root(directory):
    """search_dir inside the data directory: relative to /data even with a leading slash, ".." refused,
    and the resolved path (links followed) must stay inside /data. None when it does not exist."""
    if "\x00" in directory:
        raise Failure("invalid search_dir")
    parts = [p for p in directory.replace("\\", "/").split("/") if p]
    if ".." in parts:
        raise Failure("search_dir must stay inside the data directory")
    try:
        base = os.path.realpath(DATA_DIR, strict=True)
        real = os.path.realpath(os.path.join(DATA_DIR, *parts), strict=True)
    except OSError:
        return None  # nothing to find
    if real != base and not real.startswith(base + os.sep):
        raise Failure("search_dir must stay inside the data directory")
    return os.path.join(DATA_DIR, *parts)


def contains(path, needle):
    try:
        with open(path, "rb") as f:
            return needle in f.read(MAX_READ)
    except OSError:
        return False


def search(body):
    if not isinstance(body, dict):
        raise Failure("a JSON object is required")
    content, name, directory = body.get("search_content"), body.get("search_filename"), body.get("search_dir")
    if not all(v is None or isinstance(v, str) for v in (content, name, directory)):
        raise Failure("search_content, search_filename and search_dir must be strings")
    if not content and not name:
        raise Failure("search_content or search_filename is required")
    root = search_root(directory or "")
    found = []
    if root is not None:
        needle = content.encode("utf-8") if content else None
        # os.walk does not follow links into other directories; linked files are skipped too.
        for current, _, files in os.walk(root):
            for file_name in files:
                path = os.path.join(current, file_name)
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                if (name and file_name.startswith(name)) or (needle and contains(path, needle)):
                    found.append(path)
                    if len(found) >= MAX_FILES:
                        return {"files": sorted(found)}
    return {"files": sorted(found)}


async def search_route(request):
    try:
        body = json.loads(await request.read())
    except ValueError:
        body = None
    try:
        answer = await asyncio.to_thread(search, body)
    except Failure as f:
        return web.json_response({"error": str(f)}, status=400)
    return web.json_response(answer)


def make_app():
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post("/search", search_route)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="0.0.0.0", port=5000)
