import os
import subprocess
import tempfile

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

# Larger uploads are refused before any processing.
MAX_UPLOAD = 5 * 1024 * 1024

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD


def text(status, message):
    return Response(message + "\n", status=status, mimetype="text/plain")


@app.errorhandler(RequestEntityTooLarge)
def too_large(_):
    return text(413, "the file is too large")


@app.post("/convert")
def convert():
    upload = request.files.get("file")
    if upload is None:
        return text(400, "no file was uploaded")
    data = upload.read()
    if not data:
        return text(400, "the file is empty")
    # The client's file name is never used: the upload goes to a fresh directory under a fixed name.
    with tempfile.TemporaryDirectory(prefix="pdf2txt-") as directory:
        path = os.path.join(directory, "input.pdf")
        with open(path, "wb") as f:
            f.write(data)
        try:
            result = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", path, "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30
            )
        except subprocess.TimeoutExpired:
            return text(500, "the file could not be converted")
    if result.returncode != 0:
        return text(500, "the file could not be converted")
    return Response(result.stdout, status=200, mimetype="text/plain")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
