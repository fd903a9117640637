import json
import re
import subprocess
import sys

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

MAX_BODY = 64 * 1024
MAX_REGEX = 1000
MAX_FLAGS = 200
MATCH_SECONDS = 5.0  # generous: includes starting the interpreter on a busy machine
# One ps option word: letters, digits and a few separators, never a shell metacharacter. ps receives
# the words as separate arguments; no shell is involved.
FLAG_TOKEN = re.compile(r"^[A-Za-z0-9,=:+-]+$")
# Python's re backtracks, so a hostile pattern can run for ages: the matching runs in a child
# interpreter that is killed when its time is up.
MATCHER = """
import json, re, sys
job = json.load(sys.stdin)
pattern = re.compile(job["regex"])
json.dump([i for i, s in enumerate(job["strings"]) if pattern.search(s)], sys.stdout)
"""


class Failure(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def list_processes(flags):
    try:
        out = subprocess.run(["ps", *flags], capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        raise Failure(400, "ps rejected the filter flags")
    lines = [line for line in out.splitlines() if line.strip()]
    if not lines:
        return []
    header = lines[0].split()
    if "PID" not in header or header[-1] == "PID":
        raise Failure(400, "the filter flags leave no PID column")
    pid_col = header.index("PID")
    procs = []
    for line in lines[1:]:
        fields = line.split(None, len(header) - 1)
        if len(fields) != len(header):
            continue
        try:
            pid = int(fields[pid_col])
        except ValueError:
            continue
        procs.append({"processId": pid, "processString": fields[-1]})
    return procs


def matching(regex, strings):
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", MATCHER],
            input=json.dumps({"regex": regex, "strings": strings}),
            capture_output=True, text=True, timeout=MATCH_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise Failure(400, "command_regex takes too long to match")
    if done.returncode != 0:
        raise Failure(400, "invalid command_regex")
    return json.loads(done.stdout)


def monitor_commands(body):
    if not isinstance(body, dict) or not isinstance(body.get("command_regex"), str):
        raise Failure(400, "a JSON body with a command_regex string is required")
    regex, flags = body["command_regex"], body.get("filter_flags")
    if len(regex) > MAX_REGEX:
        raise Failure(400, "command_regex is too long")
    try:
        re.compile(regex)
    except (re.error, RecursionError, OverflowError):
        raise Failure(400, "invalid command_regex")
    words = []
    if flags is not None:
        if not isinstance(flags, str) or len(flags) > MAX_FLAGS:
            raise Failure(400, "invalid filter_flags")
        words = flags.split()
        if not all(FLAG_TOKEN.match(w) for w in words):
            raise Failure(400, "invalid filter_flags")
    procs = list_processes(words)
    hits = matching(regex, [p["processString"] for p in procs])
    return [procs[i] for i in hits]


app = FastAPI(title="Monitor Service")


@app.post("/monitor/commands")
async def commands(request: Request):
    raw = await request.body()
    try:
        if len(raw) > MAX_BODY:
            raise Failure(413, "the request is too large")
        try:
            body = json.loads(raw)
        except ValueError:
            raise Failure(400, "the body must be JSON")
        answer = await run_in_threadpool(monitor_commands, body)
    except Failure as f:
        return JSONResponse({"code": f.status, "message": f.message}, status_code=f.status)
    return JSONResponse(answer)


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=5000)
