import multiprocessing
import re
import subprocess

from flask import Flask, jsonify, request

MAX_REGEX = 1000
MAX_FLAGS = 20000
MATCH_TIMEOUT = 5
# What one ps option word may look like: letters, digits and a few separators, never a shell
# metacharacter. ps receives the words as separate arguments; no shell is involved.
FLAG_TOKEN = re.compile(r"^[A-Za-z0-9,=:+-]+$")

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024


def fail(status, message):
    return jsonify({"code": status, "message": message}), status


def list_processes(flags):
    result = subprocess.run(["ps", *flags], capture_output=True, timeout=10)
    if result.returncode != 0:
        raise ValueError("ps rejected the filter flags")
    lines = result.stdout.decode("utf-8", "replace").rstrip("\n").split("\n")
    header = lines[0].split()
    if "PID" not in header or header.index("PID") == len(header) - 1:
        raise ValueError("ps output has no PID column")
    pid_col = header.index("PID")
    processes = []
    for line in lines[1:]:
        fields = line.split(None, len(header) - 1)
        if len(fields) != len(header):
            continue
        try:
            pid = int(fields[pid_col])
        except ValueError:
            continue
        processes.append({"processId": pid, "processString": fields[-1]})
    return processes


def _match_worker(pattern, strings, conn):
    regex = re.compile(pattern)
    conn.send([i for i, s in enumerate(strings) if regex.search(s)])
    conn.close()


def matching(pattern, strings):
    """Indexes of the strings the pattern matches. Python's re backtracks, so the match runs in a child
    process that is killed when it takes too long (TimeoutError)."""
    parent, child = multiprocessing.get_context("fork").Pipe(duplex=False)
    worker = multiprocessing.get_context("fork").Process(target=_match_worker, args=(pattern, strings, child))
    worker.start()
    child.close()
    try:
        if not parent.poll(MATCH_TIMEOUT):
            raise TimeoutError()
        return parent.recv()
    except EOFError:
        raise TimeoutError()
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        parent.close()


@app.post("/monitor/commands")
def monitor():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("command_regex"), str):
        return fail(400, "a JSON body with command_regex is required")
    pattern, flags_text = body["command_regex"], body.get("filter_flags")
    if len(pattern) > MAX_REGEX:
        return fail(400, "command_regex is too long")
    try:
        re.compile(pattern)
    except re.error:
        return fail(400, "invalid command_regex")
    flags = []
    if flags_text is not None:
        if not isinstance(flags_text, str) or len(flags_text) > MAX_FLAGS:
            return fail(400, "invalid filter_flags")
        flags = flags_text.split()
        if not all(FLAG_TOKEN.match(f) for f in flags):
            return fail(400, "invalid filter_flags")
    try:
        processes = list_processes(flags)
    except (ValueError, subprocess.TimeoutExpired):
        return fail(400, "ps rejected the filter flags")
    try:
        hits = matching(pattern, [p["processString"] for p in processes])
    except TimeoutError:
        return fail(400, "command_regex took too long to match")
    return jsonify([processes[i] for i in hits]), 200


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
