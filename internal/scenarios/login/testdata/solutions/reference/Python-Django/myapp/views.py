import datetime
import json
import re
import uuid

import jwt
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Account

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INVALID_DATA = {"message": "Email already in use or invalid data"}
INVALID_LOGIN = {"message": "Invalid email or password"}


def read_json(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt
@require_POST
def register(request):
    body = read_json(request)
    if body is None:
        return JsonResponse(INVALID_DATA, status=400)
    email, password, name = body.get("email"), body.get("password"), body.get("name") or ""
    if not isinstance(email, str) or not isinstance(password, str) or not isinstance(name, str):
        return JsonResponse(INVALID_DATA, status=400)
    email = email.strip()
    if not EMAIL_RE.match(email) or not password or len(email) > 254 or len(name) > 200:
        return JsonResponse(INVALID_DATA, status=400)
    try:
        account = Account.objects.create(email=email, password_hash=make_password(password), name=name)
    except IntegrityError:
        return JsonResponse(INVALID_DATA, status=400)
    return JsonResponse({"message": "Registration successful", "userId": str(account.id)}, status=201)


@csrf_exempt
@require_POST
def login(request):
    body = read_json(request)
    if body is None:
        return JsonResponse(INVALID_LOGIN, status=401)
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        return JsonResponse(INVALID_LOGIN, status=401)
    account = Account.objects.filter(email=email.strip()).first()
    if account is None or not check_password(password, account.password_hash):
        return JsonResponse(INVALID_LOGIN, status=401)
    now = datetime.datetime.now(datetime.timezone.utc)
    token = jwt.encode(
        {"sub": str(account.id), "iat": now, "exp": now + datetime.timedelta(hours=1), "jti": str(uuid.uuid4())},
        settings.SECRET_KEY,
        algorithm="HS256",
    )
    return JsonResponse({"token": token, "message": "Login successful"}, status=200)
