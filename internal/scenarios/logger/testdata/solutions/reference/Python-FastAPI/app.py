import json
import threading

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse

LOG_FILE = "logs.txt"
MAX_BODY = 1024 * 1024
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
lock = threading.Lock()


def append_log(message):
    line = message.translate(NEUTRALIZE) + "\n"
    with lock, open(LOG_FILE, "a", encoding="utf-8") as f:
        f.write(line)


def read_logs():
    with lock:
        try:
            with open(LOG_FILE, encoding="utf-8") as f:
                return f.read()
        except FileNotFoundError:
            return ""


app = FastAPI(title="LoggingAPI")


@app.post("/log")
async def log_message(request: Request):
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return JSONResponse({"error": "the message is too large"}, status_code=413)
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return JSONResponse({"error": 'a JSON body with a "message" string is required'}, status_code=400)
    await run_in_threadpool(append_log, body["message"])
    return JSONResponse({"status": "logged"})


@app.get("/logs")
async def get_logs():
    text = await run_in_threadpool(read_logs)
    return PlainTextResponse(text, headers={"X-Content-Type-Options": "nosniff"})


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=5000)
