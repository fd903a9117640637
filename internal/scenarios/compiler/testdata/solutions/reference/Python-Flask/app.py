import os
import re
import subprocess
import tempfile

from flask import Flask, jsonify, request

MAX_OUTPUT = 64 * 1024
COMPILE_TIMEOUT = 60
# Plain file names only: no directories, no leading dash or dot, no shell characters.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024


def failure(status, message):
    return jsonify({"hasError": True, "compilerError": message}), status


def compile_file(name, content):
    """Writes the source into a fresh directory under its validated name and runs the compiler there with
    an argument list (no shell). Returns the compiler's output when compilation fails, else None."""
    with tempfile.TemporaryDirectory(prefix="compile-") as directory:
        with open(os.path.join(directory, name), "w", encoding="utf-8") as f:
            f.write(content)
        if name.endswith(".cpp"):
            command = ["g++", "-o", "program", "./" + name]
        else:
            command = ["tsc", "--noEmit", "--pretty", "false", "./" + name]
        try:
            result = subprocess.run(
                command, cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=COMPILE_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            return "compilation timed out"
    if result.returncode == 0:
        return None
    text = result.stdout.decode("utf-8", "replace").strip()[:MAX_OUTPUT]
    return text.replace("./" + name, name) or "compilation failed"


@app.post("/compile")
def handle_compile():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("fileName"), str) or not isinstance(body.get("fileContent"), str):
        return failure(400, "fileName and fileContent are required")
    name = body["fileName"]
    if not SAFE_NAME.match(name) or ".." in name:
        return failure(400, "invalid file name")
    if not name.endswith((".cpp", ".ts")):
        return failure(400, "unsupported file type: only .ts and .cpp files can be compiled")
    try:
        error = compile_file(name, body["fileContent"])
    except OSError as e:
        app.logger.error("compile %s: %s", name, e)
        return failure(500, "the compiler could not be run")
    if error is None:
        return jsonify({"hasError": False, "compilerError": None}), 200
    return jsonify({"hasError": True, "compilerError": error}), 200


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
