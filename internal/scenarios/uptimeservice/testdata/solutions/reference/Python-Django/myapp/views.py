import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Service

MAX_FIELD = 1024
INVALID = {"error": "Invalid request payload"}


def token_key(token):
    """What the database keeps instead of a token: a keyed hash, so tokens cannot be read back from the
    database but can still be looked up."""
    return hmac.new(settings.SECRET_KEY.encode(), token.encode("utf-8"), hashlib.sha256).hexdigest()


def read_json(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt
@require_POST
def heartbeat(request):
    body = read_json(request)
    if body is None:
        return JsonResponse(INVALID, status=400)
    service_id, token = body.get("serviceId"), body.get("token")
    if not isinstance(service_id, str) or not isinstance(token, str):
        return JsonResponse(INVALID, status=400)
    if not service_id or not token or len(service_id) > MAX_FIELD or len(token) > MAX_FIELD:
        return JsonResponse(INVALID, status=400)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    Service.objects.update_or_create(
        service_id=service_id, token_hash=token_key(token), defaults={"last_notification": now}
    )
    return JsonResponse({"message": "Heartbeat registered successfully"})


@csrf_exempt
@require_POST
def services(request):
    body = read_json(request)
    if body is None or not isinstance(body.get("token"), str):
        return JsonResponse(INVALID, status=400)
    found = Service.objects.filter(token_hash=token_key(body["token"])).order_by("service_id")
    return JsonResponse(
        [{"serviceId": s.service_id, "lastNotification": s.last_notification} for s in found], safe=False
    )
