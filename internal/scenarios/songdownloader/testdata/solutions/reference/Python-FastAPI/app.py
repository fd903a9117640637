import json
import os
import stat

import uvicorn
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

SONG_DIR = "/var/songs"
MAX_BODY = 64 * 1024


def valid_name(name):
    """A plain file name: no directory parts, no parent references, no control characters."""
    if not name or name in (".", "..") or len(name) > 255:
        return False
    if "/" in name or "\\" in name or "\x00" in name or ".." in name:
        return False
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        return False
    return os.path.basename(name) == name


def read_song(name):
    """Returns the song's bytes, or None when no such song is in the song directory."""
    try:
        base = os.path.realpath(SONG_DIR, strict=True)
        full = os.path.realpath(os.path.join(base, name), strict=True)
    except OSError:
        return None
    # The resolved file must sit directly in the song directory, even after following links.
    if os.path.dirname(full) != base:
        return None
    try:
        with open(full, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return None
            return f.read()
    except OSError:
        return None


app = FastAPI(title="SongDownloader")


@app.post("/download")
async def download(request: Request):
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return JSONResponse({"error": "invalid input"}, status_code=400)
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("filename"), str):
        return JSONResponse({"error": "invalid input"}, status_code=400)
    name = body["filename"]
    if not valid_name(name):
        return JSONResponse({"error": "invalid input"}, status_code=400)
    data = await run_in_threadpool(read_song, name)
    if data is None:
        return JSONResponse({"error": "song not found"}, status_code=404)
    return Response(content=data, media_type="audio/mpeg")


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=5000)
