import os
import re

from flask import Flask, jsonify, request

DATA_DIR = "/data"
MAX_READ = 10 * 1024 * 1024  # bytes of a file searched for content
MAX_FILES = 10000


class BadRequest(Exception):
    pass


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024


def optional_string(body, key):
    value = body.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRequest(key + " must be a string")
    return value


def search_root(directory):
    """The directory to search: search_dir taken relative to the data directory (even with a leading
    slash); ".." is refused and the resolved path must stay inside it. None when it does not exist."""
    if "\x00" in directory:
        raise BadRequest("invalid search_dir")
    parts = [p for p in re.split(r"[/\\]+", directory) if p not in ("", ".")]
    if ".." in parts:
        raise BadRequest("search_dir must stay inside the data directory")
    base = os.path.realpath(DATA_DIR)
    root = os.path.realpath(os.path.join(base, *parts))
    if root != base and not root.startswith(base + os.sep):
        raise BadRequest("search_dir must stay inside the data directory")
    if not os.path.isdir(root):
        return None
    return root


def contains(path, needle):
    try:
        with open(path, "rb") as f:
            return needle in f.read(MAX_READ)
    except OSError:
        return False


def search(root, content, name):
    found = []
    needle = content.encode("utf-8")
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for filename in sorted(filenames):
            path = os.path.join(dirpath, filename)
            if os.path.islink(path) or not os.path.isfile(path):
                continue  # symlinks and special files are skipped
            if (name and filename.startswith(name)) or (content and contains(path, needle)):
                found.append(path)
                if len(found) >= MAX_FILES:
                    return found
    return found


@app.post("/search")
def handle_search():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify({"error": "invalid JSON body"}), 400
    try:
        content = optional_string(body, "search_content")
        name = optional_string(body, "search_filename")
        directory = optional_string(body, "search_dir")
        if not content and not name:
            raise BadRequest("search_content or search_filename is required")
        root = search_root(directory)
    except BadRequest as e:
        return jsonify({"error": str(e)}), 400
    found = search(root, content, name) if root else []
    return jsonify({"files": sorted(found)}), 200


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
