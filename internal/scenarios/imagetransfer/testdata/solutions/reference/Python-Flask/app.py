import mimetypes
import os
import threading
import uuid

from flask import Flask, Response, jsonify, request

MAX_UPLOAD = 20 * 1024 * 1024
IMAGE_DIR = "/tmp/images"
# The formats a browser may show inline; anything else is sent as a download.
INLINE_TYPES = {
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/avif",
    "image/x-icon", "image/vnd.microsoft.icon", "image/tiff",
}
SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
]

types = {}  # image id -> media type
types_lock = threading.Lock()

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD


def json_error(status, message):
    return jsonify({"error": message}), status


def media_type(name, data):
    """The type named by the file name's extension, else the one its content starts like."""
    guessed, _ = mimetypes.guess_type("file" + os.path.splitext(name or "")[1].lower())
    if guessed:
        return guessed
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"


@app.post("/upload")
def upload():
    file = request.files.get("file")
    if file is None:
        return json_error(400, "the file is missing")
    data = file.read()
    # The stored file is named by a random identifier; the client's file name only hints at the type.
    image_id = str(uuid.uuid4())
    with open(os.path.join(IMAGE_DIR, image_id), "wb") as f:
        f.write(data)
    with types_lock:
        types[image_id] = media_type(file.filename, data)
    return jsonify({"id": image_id}), 200


@app.get("/images/<image_id>")
def image(image_id):
    try:
        if str(uuid.UUID(image_id)) != image_id:
            raise ValueError()
    except ValueError:
        return json_error(404, "image not found")
    with types_lock:
        kind = types.get(image_id)
    if kind is None:
        return json_error(404, "image not found")
    try:
        with open(os.path.join(IMAGE_DIR, image_id), "rb") as f:
            data = f.read()
    except OSError:
        return json_error(500, "the image could not be read")
    if kind in INLINE_TYPES:
        resp = Response(data, status=200, mimetype=kind)
        resp.headers["Content-Disposition"] = "inline"
    else:
        # Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
        resp = Response(data, status=200, mimetype="application/octet-stream")
        resp.headers["Content-Disposition"] = "attachment"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


if __name__ == "__main__":
    os.makedirs(IMAGE_DIR, mode=0o700, exist_ok=True)
    app.run(host="0.0.0.0", port=5000)
