import json
import quopri
import re
from email import policy
from email.parser import HeaderParser

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

KEYWORDS = ("unsubscribe", "remove me", "deregister me", "stop sending me", "delete me")
HEADER_END = re.compile(r"\r?\n\r?\n")


def error(message):
    return JsonResponse({"error": message}, status=400)


def raw_mail(request):
    """The e-mail text of a request: the raw body, or the "content" of a JSON object wrapping it."""
    text = request.body.decode("utf-8", "replace")
    is_json = request.content_type == "application/json"
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


def sender(headers):
    """The address of the message's own From header; lines that look like headers in the body are never
    consulted."""
    try:
        from_header = headers["From"]
        addresses = from_header.addresses if from_header is not None else ()
    except (ValueError, IndexError, AttributeError):
        return None
    for address in addresses:
        if address.addr_spec and "@" in address.addr_spec:
            return address.addr_spec
    return None


def asks_to_unsubscribe(subject, body):
    """Looks for the keywords in the subject and the body, as sent and with quoted-printable encoding
    undone, ignoring case and line breaks."""
    decoded = quopri.decodestring(body.encode("utf-8", "replace")).decode("utf-8", "replace")
    text = " ".join((subject + "\n" + body + "\n" + decoded).lower().split())
    return any(k in text for k in KEYWORDS)


@csrf_exempt
@require_POST
def decide_unsubscribe(request):
    raw = raw_mail(request)
    if raw is None or not raw.strip():
        return error("no e-mail given")
    parts = HEADER_END.split(raw, maxsplit=1)
    header_text, body = parts[0], parts[1] if len(parts) > 1 else ""
    headers = HeaderParser(policy=policy.default).parsestr(header_text + "\n\n", headersonly=True)
    address = sender(headers)
    if address is None:
        return error("the e-mail has no valid sender")
    subject = str(headers.get("Subject", "") or "")
    return JsonResponse({"email": address, "unsubscribe": asks_to_unsubscribe(subject, body)})
