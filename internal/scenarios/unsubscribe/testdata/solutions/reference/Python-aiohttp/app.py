import email
import email.policy
import email.utils
import json

from aiohttp import web

KEYWORDS = ("unsubscribe", "remove me", "deregister me", "stop sending me", "delete me")


def raw_mail(content_type, body):
    """The e-mail text of a request: the raw mail as text/plain, or wrapped as {"content": "..."}."""
    text = body.decode("utf-8", errors="replace")
    is_json = content_type.split(";")[0].strip().lower() == "application/json"
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


def sender(msg):
    """The address of the message's own From header; lines in the body are never consulted."""
    value = msg.get("From")
    if not value:
        return None
    for _, addr in email.utils.getaddresses([str(value)]):
        if addr and "@" in addr:
            return addr
    return None


def body_text(msg):
    """The text of every text part, transfer encoding undone."""
    texts = []
    for part in msg.walk():
        if part.get_content_maintype() != "text":
            continue
        try:
            texts.append(part.get_content())
        except (LookupError, ValueError, AssertionError):
            payload = part.get_payload(decode=True) or b""
            texts.append(payload.decode("utf-8", errors="replace"))
    return "\n".join(texts)


def decide(text):
    """Returns (status, answer) for the raw e-mail text."""
    if not text or not text.strip():
        return 400, {"error": "no e-mail given"}
    msg = email.message_from_string(text, policy=email.policy.default)
    addr = sender(msg)
    if addr is None:
        return 400, {"error": "the e-mail has no valid sender"}
    subject = str(msg.get("Subject") or "")
    raw_body = msg.get_payload() if not msg.is_multipart() else text.split("\n\n", 1)[-1]
    haystack = " ".join("\n".join([subject, str(raw_body), body_text(msg)]).lower().split())
    return 200, {"email": addr, "unsubscribe": any(k in haystack for k in KEYWORDS)}


async def decide_unsubscribe(request):
    text = raw_mail(request.headers.get("Content-Type", ""), await request.read())
    if text is None:
        return web.json_response({"error": "no e-mail given"}, status=400)
    status, answer = decide(text)
    return web.json_response(answer, status=status)


def make_app():
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post("/decideUnsubscribe", decide_unsubscribe)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="0.0.0.0", port=5000)
