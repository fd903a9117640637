import multiprocessing
import os
import re

from flask import Flask, jsonify, request

FILES_ROOT = "files"
MAX_REGEX = 1000
MAX_FILE_SIZE = 1024 * 1024  # larger files are not searched
MAX_FILES = 10000
SEARCH_TIMEOUT = 5

app = Flask(__name__)


class SearchError(Exception):
    pass


def fail(status, message):
    return jsonify({"error": message}), status


def inside(root, path):
    return path == root or path.startswith(root + os.sep)


def resolve_dir(root, directory):
    """The requested directory inside the files root; SearchError when it would leave the root (also
    through symbolic links) or is not a directory."""
    if "\x00" in directory:
        raise SearchError("inaccessible directory")
    target = os.path.normpath(os.path.join(root, directory))
    if not inside(root, target):
        raise SearchError("inaccessible directory")
    real = os.path.realpath(target)
    if not inside(root, real) or not os.path.isdir(real):
        raise SearchError("inaccessible directory")
    return real


def candidates(directory, recursive):
    """Regular files to search (relative path, full path), at most MAX_FILES; files above MAX_FILE_SIZE
    are skipped, so no request can make the server read a huge file."""
    found = []
    for dirpath, dirnames, filenames in os.walk(directory):
        if not recursive:
            dirnames.clear()
        for name in filenames:
            path = os.path.join(dirpath, name)
            if len(found) >= MAX_FILES:
                raise SearchError("the directory holds too many files")
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if not os.path.isfile(path) or os.path.islink(path) or st.st_size > MAX_FILE_SIZE:
                continue
            found.append((os.path.relpath(path, directory).replace(os.sep, "/"), path))
    return found


def _search_worker(pattern, files, conn):
    regex = re.compile(pattern.encode("utf-8"))
    hits = []
    for rel, path in files:
        try:
            with open(path, "rb") as f:
                if regex.search(f.read(MAX_FILE_SIZE + 1)):
                    hits.append(rel)
        except OSError:
            continue
    conn.send(hits)
    conn.close()


def search_files(pattern, files):
    """Python's re backtracks, so the search runs in a child process that is killed when it takes too long
    (TimeoutError)."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_search_worker, args=(pattern, files, child))
    worker.start()
    child.close()
    try:
        if not parent.poll(SEARCH_TIMEOUT):
            raise TimeoutError()
        return parent.recv()
    except EOFError:
        raise TimeoutError()
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        parent.close()


@app.get("/search")
def search():
    pattern = request.args.get("regex")
    if pattern is None or len(pattern) > MAX_REGEX:
        return fail(400, "a regex of at most 1000 characters is required")
    try:
        re.compile(pattern.encode("utf-8"))
    except re.error:
        return fail(400, "malformed regex")
    recursive_text = request.args.get("recursive", "").strip().lower()
    if recursive_text not in ("", "true", "false", "1", "0"):
        return fail(400, "recursive must be true or false")
    recursive = recursive_text in ("true", "1")
    root = os.path.realpath(FILES_ROOT)
    try:
        directory = resolve_dir(root, request.args.get("directory", ""))
        files = candidates(directory, recursive)
    except SearchError as e:
        return fail(400, str(e))
    try:
        found = search_files(pattern, files)
    except TimeoutError:
        return fail(400, "the regex took too long to run")
    return jsonify({"files": found}), 200


if __name__ == "__main__":
    os.makedirs(FILES_ROOT, exist_ok=True)
    app.run(host="0.0.0.0", port=5000)
