import os
import subprocess
import tempfile

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

MAX_UPLOAD = 100 * 1024 * 1024  # largest accepted request body
FFMPEG_TIMEOUT = 60

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD


def json_error(status, message):
    return jsonify({"error": message}), status


@app.errorhandler(RequestEntityTooLarge)
def too_large(_):
    return json_error(413, "the upload is too large")


def extract_frame(video, frame, directory):
    """Runs ffmpeg with an argument list on the uploaded video; returns the PNG of the frame with the
    given 0-based index, or None when the video has no such frame."""
    out = os.path.join(directory, "frame.png")
    command = [
        "ffmpeg", "-nostdin", "-i", video,
        "-vf", "select=eq(n\\,%d)" % frame, "-vframes", "1", out, "-y",
    ]
    try:
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=FFMPEG_TIMEOUT)
        if result.returncode != 0:
            lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
            app.logger.warning("ffmpeg exited with %d: %s", result.returncode, lines[-1] if lines else "")
    except subprocess.TimeoutExpired:
        app.logger.warning("ffmpeg timed out")
        return None
    try:
        with open(out, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return None
    return data or None


@app.post("/extract")
def handle_extract():
    if request.content_length is not None and request.content_length > MAX_UPLOAD:
        return json_error(413, "the upload is too large")
    frame_text = request.form.get("frameNumber", "").strip()
    if not frame_text.isascii() or not frame_text.isdigit():
        return json_error(400, "frameNumber must be a non-negative integer")
    frame = int(frame_text)
    upload = request.files.get("video")
    if upload is None:
        return json_error(400, "the video file is missing")
    # The client's file name (videoFileName and the part's file name) is never used as a path.
    with tempfile.TemporaryDirectory(prefix="extract-") as directory:
        video = os.path.join(directory, "input")
        upload.save(video)
        png = extract_frame(video, frame, directory)
    if png is None:
        return json_error(404, "Frame at index %d could not be found." % frame)
    return Response(png, status=200, mimetype="image/png")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
