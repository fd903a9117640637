import threading

from flask import Flask, Response, jsonify, request

LOG_FILE = "logs.txt"
# Backslashes and every character str.splitlines() (or a reader) treats as a line break are written as
# escape sequences, so one message is always exactly one line.
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
app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024


def neutralize(message):
    return message.translate(NEUTRALIZE)


@app.post("/log")
def add_log():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return jsonify({"error": 'a JSON body with a "message" string is required'}), 400
    line = neutralize(body["message"]) + "\n"
    with lock:
        with open(LOG_FILE, "a", encoding="utf-8") as f:
            f.write(line)
    return jsonify({"status": "logged"}), 200


@app.get("/logs")
def get_logs():
    with lock:
        try:
            with open(LOG_FILE, encoding="utf-8") as f:
                data = f.read()
        except FileNotFoundError:
            data = ""
    resp = Response(data, status=200, mimetype="text/plain")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
