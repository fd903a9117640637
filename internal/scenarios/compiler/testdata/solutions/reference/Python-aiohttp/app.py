import asyncio
import json
import os
import re
import subprocess
import tempfile

from aiohttp import web

MAX_OUTPUT = 64 * 1024
COMPILE_SECONDS = 60
# Plain file names only: no directories, no leading dash or dot, no shell characters.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def compile_source(name, content):
    """Writes the source under its validated name into a fresh directory and runs the compiler there
    with an argument list (no shell). Returns (has_error, compiler output)."""
    with tempfile.TemporaryDirectory(prefix="compile-") as work:
        with open(os.path.join(work, name), "w", encoding="utf-8") as f:
            f.write(content)
        if name.endswith(".cpp"):
            command = ["g++", "-o", "program", "./" + name]
        else:
            command = ["tsc", "--noEmit", "--pretty", "false", "./" + name]
        try:
            done = subprocess.run(
                command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=COMPILE_SECONDS
            )
        except subprocess.TimeoutExpired:
            return True, "compilation timed out"
    if done.returncode == 0:
        return False, None
    text = done.stdout.decode("utf-8", errors="replace").strip()[:MAX_OUTPUT]
    return True, text.replace("./" + name, name)


def compile_request(body):
    if not isinstance(body, dict) or not isinstance(body.get("fileName"), str) or not isinstance(body.get("fileContent"), str):
        return 400, {"hasError": True, "compilerError": "fileName and fileContent are required"}
    name = body["fileName"]
    if not SAFE_NAME.match(name) or ".." in name:
        return 400, {"hasError": True, "compilerError": "invalid file name"}
    if not name.endswith((".cpp", ".ts")):
        return 400, {"hasError": True, "compilerError": "unsupported file type: only .ts and .cpp files can be compiled"}
    try:
        has_error, text = compile_source(name, body["fileContent"])
    except OSError:
        return 500, {"hasError": True, "compilerError": "the compiler could not be run"}
    return 200, {"hasError": has_error, "compilerError": text}


async def compile_route(request):
    try:
        body = json.loads(await request.read())
    except ValueError:
        body = None
    status, answer = await asyncio.to_thread(compile_request, body)
    return web.json_response(answer, status=status)


def make_app():
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post("/compile", compile_route)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="0.0.0.0", port=5000)
