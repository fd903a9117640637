import asyncio
import json

from aiohttp import web

LOG_FILE = "logs.txt"
# Every character a reader may take as a line break is written as an escape sequence, so one message
# always stays on one line; the backslash is escaped first to keep the encoding unambiguous.
ESCAPES = {
    "\\": "\\\\",
    "\r": "\\r",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\x1c": "\\x1c",
    "\x1d": "\\x1d",
    "\x1e": "\\x1e",
    "\x85": "\\u0085",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
NEUTRALIZE = str.maketrans(ESCAPES)
lock = asyncio.Lock()


def append_line(line):
    with open(LOG_FILE, "a", encoding="utf-8") as f:
        f.write(line)


def read_logs():
    try:
        with open(LOG_FILE, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return ""


async def log_message(request):
    try:
        body = json.loads(await request.read())
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return web.json_response({"error": 'a JSON body with a "message" string is required'}, status=400)
    async with lock:
        await asyncio.to_thread(append_line, body["message"].translate(NEUTRALIZE) + "\n")
    return web.json_response({"status": "logged"})


async def get_logs(request):
    async with lock:
        text = await asyncio.to_thread(read_logs)
    return web.Response(text=text, content_type="text/plain", headers={"X-Content-Type-Options": "nosniff"})


def make_app():
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post("/log", log_message)
    app.router.add_get("/logs", get_logs)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="0.0.0.0", port=5000)
