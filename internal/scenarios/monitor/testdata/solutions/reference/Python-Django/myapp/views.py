import json
import re
import subprocess
import sys

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

MAX_REGEX = 1000
MAX_FLAGS = 20000
PS_TIMEOUT = 10
MATCH_TIMEOUT = 5  # seconds for all matching of one request
# What one ps option word may look like: letters, digits and a few separators, never a shell
# metacharacter. ps receives the words as separate arguments; no shell is involved.
FLAG_TOKEN = re.compile(r"^[A-Za-z0-9,=:+-]+$")

# Python's re backtracks, so a pattern can take exponential time: matching runs in a child process
# that is killed when it exceeds the time budget. It reads {"regex", "strings"} and prints the indexes
# of the matching strings.
MATCHER = """
import json, re, sys
job = json.load(sys.stdin)
regex = re.compile(job["regex"])
json.dump([i for i, s in enumerate(job["strings"]) if regex.search(s)], sys.stdout)
"""


def fail(status, message):
    return JsonResponse({"code": status, "message": message}, status=status)


class PsFailed(Exception):
    pass


class MatchTimeout(Exception):
    pass


def list_processes(flags):
    try:
        proc = subprocess.run(
            ["ps", *flags], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=PS_TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise PsFailed() from e
    if proc.returncode != 0:
        raise PsFailed()
    lines = proc.stdout.decode("utf-8", "replace").rstrip("\n").split("\n")
    header = lines[0].split()
    if "PID" not in header or header.index("PID") == len(header) - 1:
        raise PsFailed()
    pid_col = header.index("PID")
    processes = []
    for line in lines[1:]:
        # Every column but the last is one word; the last (the command) is the rest of the line.
        fields = line.split(None, len(header) - 1)
        if len(fields) != len(header):
            continue
        try:
            pid = int(fields[pid_col])
        except ValueError:
            continue
        processes.append({"processId": pid, "processString": fields[-1]})
    return processes


def matching(pattern, strings):
    """Indexes of the strings the pattern matches, computed in a child process with a time limit."""
    job = json.dumps({"regex": pattern, "strings": strings})
    try:
        proc = subprocess.run(
            [sys.executable, "-I", "-c", MATCHER],
            input=job.encode("ascii"),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=MATCH_TIMEOUT,
        )
    except subprocess.TimeoutExpired as e:
        raise MatchTimeout() from e
    if proc.returncode != 0:
        raise MatchTimeout()
    return json.loads(proc.stdout)


@csrf_exempt
@require_POST
def commands(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("command_regex"), str):
        return fail(400, "a JSON body with command_regex is required")
    pattern, flags_text = body["command_regex"], body.get("filter_flags")
    if len(pattern) > MAX_REGEX:
        return fail(400, "command_regex is too long")
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
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
    except PsFailed:
        return fail(400, "ps rejected the filter flags")
    try:
        hits = matching(pattern, [p["processString"] for p in processes])
    except MatchTimeout:
        return fail(400, "command_regex took too long to match")
    return JsonResponse([processes[i] for i in hits], safe=False)
