import asyncio
import json
import os
import stat

from aiohttp import web

SONG_DIR = "/var/songs"


def valid_name(name):
    """A plain file name: no directory parts, no parent references, no control characters."""
    if not name or name in (".", "..") or len(name) > 255:
        return False
    if "/" in name or "\\" in name or "\x00" in name or ".." in name:
        return False
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        return False
    return os.path.basename(name) == name


def open_song(name):
    """An open binary file of the song and its size, or None when no such song is in the song
    directory."""
    try:
        base = os.path.realpath(SONG_DIR, strict=True)
        full = os.path.realpath(os.path.join(base, name), strict=True)
    except OSError:
        return None
    # The resolved file must sit directly in the song directory, even after following links.
    if os.path.dirname(full) != base:
        return None
    try:
        f = open(full, "rb")
    except OSError:
        return None
    st = os.fstat(f.fileno())
    if not stat.S_ISREG(st.st_mode):
        f.close()
        return None
    return f, st.st_size


async def download(request):
    try:
        body = json.loads(await request.read())
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("filename"), str):
        return web.json_response({"error": "invalid input"}, status=400)
    name = body["filename"]
    if not valid_name(name):
        return web.json_response({"error": "invalid input"}, status=400)
    song = await asyncio.to_thread(open_song, name)
    if song is None:
        return web.json_response({"error": "song not found"}, status=404)
    f, size = song
    response = web.StreamResponse(status=200, headers={"Content-Type": "audio/mpeg"})
    response.content_length = size
    try:
        await response.prepare(request)
        while True:
            chunk = await asyncio.to_thread(f.read, 64 * 1024)
            if not chunk:
                break
            await response.write(chunk)
    finally:
        f.close()
    await response.write_eof()
    return response


def make_app():
    app = web.Application(client_max_size=64 * 1024)
    app.router.add_post("/download", download)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="0.0.0.0", port=5000)
