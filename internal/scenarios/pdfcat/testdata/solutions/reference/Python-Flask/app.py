import os
import subprocess
import tempfile

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

MAX_UPLOAD = 50 * 1024 * 1024  # whole request body
MAX_FILES = 50
INVALID = "Invalid input or missing files."
FAILED = "An error occurred while processing the files."

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD


def error(status, message):
    return jsonify({"error": message}), status


@app.errorhandler(RequestEntityTooLarge)
def too_large(_):
    return error(413, "The upload is too large.")


@app.post("/concatenate")
def concatenate():
    if request.mimetype != "multipart/form-data":
        return error(400, INVALID)
    uploads = request.files.getlist("files")
    if not uploads:
        return error(400, INVALID)
    if len(uploads) > MAX_FILES:
        return error(400, "Too many files.")
    # Client file names are never used: each upload is stored under a generated name in a fresh
    # directory, and pdfunite gets the paths as separate arguments (no shell).
    with tempfile.TemporaryDirectory(prefix="pdfcat-") as directory:
        inputs = []
        for index, upload in enumerate(uploads):
            data = upload.read()
            if not data.startswith(b"%PDF-"):
                return error(400, "Every file must be a PDF document.")
            path = os.path.join(directory, "input-%03d.pdf" % index)
            with open(path, "wb") as f:
                f.write(data)
            inputs.append(path)
        out = os.path.join(directory, "concatenated.pdf")
        try:
            result = subprocess.run(["pdfunite", *inputs, out], capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            return error(500, FAILED)
        if result.returncode != 0:
            app.logger.warning("pdfunite: %s", result.stderr.decode("utf-8", "replace"))
            return error(500, FAILED)
        try:
            with open(out, "rb") as f:
                pdf = f.read()
        except OSError:
            return error(500, FAILED)
    return Response(pdf, status=200, mimetype="application/pdf")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
