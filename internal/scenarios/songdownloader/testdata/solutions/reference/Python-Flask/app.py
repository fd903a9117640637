import os

from flask import Flask, Response, jsonify, request

SONG_DIR = "/var/songs"
CHUNK = 64 * 1024

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024


def valid_name(name):
    """A plain file name: no directory parts, no parent references, no control characters."""
    if not name or name in (".", "..") or len(name) > 255:
        return False
    if any(c in name for c in "/\\\x00") or ".." in name:
        return False
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        return False
    return os.path.basename(name) == name


def resolve_song(name):
    """The real path of the song, or None when it is not a regular file directly inside SONG_DIR."""
    base = os.path.realpath(SONG_DIR)
    full = os.path.realpath(os.path.join(base, name))
    if os.path.dirname(full) != base or not os.path.isfile(full):
        return None
    return full


def stream(path):
    with open(path, "rb") as f:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                break
            yield chunk


@app.post("/download")
def download():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("filename"), str):
        return jsonify({"error": "invalid input"}), 400
    name = body["filename"]
    if not valid_name(name):
        return jsonify({"error": "invalid input"}), 400
    path = resolve_song(name)
    if path is None:
        return jsonify({"error": "song not found"}), 404
    try:
        open(path, "rb").close()
    except OSError:
        return jsonify({"error": "cannot read song"}), 500
    return Response(stream(path), status=200, mimetype="audio/mpeg")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
