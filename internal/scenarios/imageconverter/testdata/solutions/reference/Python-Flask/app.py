import os
import re
import struct
import subprocess
import tempfile

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

MAX_UPLOAD = 50 * 1024 * 1024  # largest accepted request body
MAX_IMAGES = 50  # images in one GIF
MAX_SIDE = 4000  # largest target width or height in pixels
MAX_TARGET_AREA = 4_000_000  # largest target area in pixels
MAX_TOTAL_PIXELS = 64_000_000
MAX_INPUT_PIXELS = 40_000_000  # largest uploaded image, against decompression bombs
MAX_DELAY = 655350  # GIF delays are 16-bit hundredths of a second
CONVERT_TIMEOUT = 60
SIZE_PATTERN = re.compile(r"^([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$")


class BadInput(Exception):
    pass


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD


def json_error(status, message):
    return jsonify({"error": message}), status


@app.errorhandler(RequestEntityTooLarge)
def too_large(_):
    return json_error(413, "the upload is too large")


def jpeg_size(data):
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if pos + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return width, height
        pos += 2 + length
    return None


def image_info(data):
    """(format, width, height) of a PNG, JPEG or GIF image, read from its header, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return "png", width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return "gif", width, height
    if data.startswith(b"\xff\xd8"):
        size = jpeg_size(data)
        if size:
            return "jpeg", size[0], size[1]
    return None


def parse_options(form):
    match = SIZE_PATTERN.match(form.get("targetSize", ""))
    if not match:
        raise BadInput("targetSize must look like 500x500")
    width, height = int(match.group(1)), int(match.group(2))
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_TARGET_AREA:
        raise BadInput("targetSize is too large: at most %dx%d pixels and %d pixels in all" % (MAX_SIDE, MAX_SIDE, MAX_TARGET_AREA))
    delay_text = form.get("delay", "")
    delay = 10
    if delay_text:
        if not delay_text.isascii() or not delay_text.isdigit() or int(delay_text) > MAX_DELAY:
            raise BadInput("delay must be a whole number of milliseconds")
        delay = int(delay_text)
    reverted_text = form.get("appendReverted", "").strip().lower()
    if reverted_text not in ("", "true", "false", "1", "0"):
        raise BadInput("appendReverted must be true or false")
    return width, height, (delay + 5) // 10, reverted_text in ("true", "1")


def save_images(files, directory):
    """Stores each upload under a name of our own after checking its header; the returned inputs name the
    format explicitly so ImageMagick picks no other coder."""
    if not 1 <= len(files) <= MAX_IMAGES:
        raise BadInput("between 1 and %d images are required" % MAX_IMAGES)
    inputs = []
    for index, upload in enumerate(files):
        data = upload.read()
        info = image_info(data)
        if info is None:
            raise BadInput("image %d is not a PNG, JPEG or GIF image" % (index + 1))
        kind, width, height = info
        if width * height > MAX_INPUT_PIXELS:
            raise BadInput("image %d is too large" % (index + 1))
        path = os.path.join(directory, "input-%03d.%s" % (index, kind))
        with open(path, "wb") as f:
            f.write(data)
        inputs.append(kind + ":" + path)
    return inputs


@app.post("/create-gif")
def create_gif():
    if request.content_length is not None and request.content_length > MAX_UPLOAD:
        return json_error(413, "the upload is too large")
    try:
        width, height, delay_cs, reverted = parse_options(request.form)
        with tempfile.TemporaryDirectory(prefix="gif-") as directory:
            inputs = save_images(request.files.getlist("images"), directory)
            frames = inputs + (inputs[::-1] if reverted else [])
            if len(frames) * width * height > MAX_TOTAL_PIXELS:
                raise BadInput("the animation would be too large")
            out = os.path.join(directory, "out.gif")
            command = ["convert", "-delay", str(delay_cs), *frames,
                       "-resize", "%dx%d!" % (width, height), "-loop", "0", "gif:" + out]
            try:
                result = subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT)
            except subprocess.TimeoutExpired:
                return json_error(500, "the GIF could not be created")
            if result.returncode != 0:
                app.logger.warning("convert: %s", result.stderr.decode("utf-8", "replace"))
                return json_error(500, "the GIF could not be created")
            with open(out, "rb") as f:
                gif = f.read()
    except BadInput as e:
        return json_error(400, str(e))
    return Response(gif, status=200, mimetype="image/gif")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
