import email
import email.header
import email.policy
import email.utils
import json
import quopri

from flask import Flask, jsonify, request

MAX_MAIL = 1024 * 1024
KEYWORDS = ("unsubscribe", "remove me", "deregister me", "stop sending me", "delete me")

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_MAIL


def raw_mail():
    """The e-mail text of the request. The API takes the raw mail as text/plain; a client that wraps it in
    a JSON object {"content": "..."} is accepted too. None when a JSON body carries no mail."""
    text = request.get_data(as_text=True)
    is_json = request.mimetype == "application/json"
    if is_json or text.lstrip().startswith("{"):
        try:
            wrapped = json.loads(text)
        except ValueError:
            wrapped = None
        if isinstance(wrapped, dict) and isinstance(wrapped.get("content"), str):
            return wrapped["content"]
        if is_json:
            return None
    return text


def sender(message):
    """The address of the message's own From header; From lines inside the body are never consulted."""
    values = message.get_all("From") or []
    if not values:
        return None
    for _, addr in email.utils.getaddresses([str(values[0])]):
        if addr and "@" in addr:
            return addr
    return None


def body_texts(message):
    """The text of every text part, both as sent and with its transfer encoding undone."""
    texts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        raw = part.get_payload()
        if isinstance(raw, str):
            texts.append(raw)
            try:
                texts.append(quopri.decodestring(raw.encode("utf-8", "replace")).decode("utf-8", "replace"))
            except ValueError:
                pass
        try:
            decoded = part.get_payload(decode=True)
        except Exception:
            decoded = None
        if isinstance(decoded, bytes):
            texts.append(decoded.decode(part.get_content_charset() or "utf-8", "replace"))
    return texts


def asks_to_unsubscribe(subject, texts):
    text = " ".join((subject + "\n" + "\n".join(texts)).lower().split())
    return any(k in text for k in KEYWORDS)


@app.post("/decideUnsubscribe")
def decide():
    raw = raw_mail()
    if raw is None or not raw.strip():
        return jsonify({"error": "no e-mail given"}), 400
    message = email.message_from_string(raw, policy=email.policy.compat32)
    addr = sender(message)
    if addr is None:
        return jsonify({"error": "the e-mail has no valid sender"}), 400
    subject = message.get("Subject") or ""
    try:
        subject = str(email.header.make_header(email.header.decode_header(subject)))
    except Exception:
        subject = str(subject)
    return jsonify({"email": addr, "unsubscribe": asks_to_unsubscribe(subject, body_texts(message))}), 200


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
