import base64
import datetime
import hashlib
import hmac
import json
import re
import secrets
import uuid

import jwt
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import Secret, User

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INVALID_DATA = "Email already in use or invalid data"
INVALID_LOGIN = "Invalid email or password"
INVALID_TOKEN = "Invalid authentication token"

# Separate keys, all derived from the app secret: one signs tokens, two encrypt and authenticate the
# stored secrets.
SIGN_KEY = hashlib.sha256(b"jwt-signing:" + settings.SECRET_KEY.encode()).digest()
ENC_KEY = hashlib.sha256(b"secret-encryption:" + settings.SECRET_KEY.encode()).digest()
MAC_KEY = hashlib.sha256(b"secret-authentication:" + settings.SECRET_KEY.encode()).digest()


def keystream(nonce, length):
    """HMAC-SHA256 in counter mode: a pseudo-random stream unique to the nonce."""
    blocks = (length + 31) // 32
    return b"".join(hmac.digest(ENC_KEY, nonce + i.to_bytes(8, "big"), "sha256") for i in range(blocks))[:length]


def seal(username, plain):
    """Encrypt-then-MAC with a fresh random nonce; the MAC binds the ciphertext to its owner."""
    data = plain.encode("utf-8")
    nonce = secrets.token_bytes(16)
    cipher = bytes(a ^ b for a, b in zip(data, keystream(nonce, len(data))))
    tag = hmac.digest(MAC_KEY, username.encode("utf-8") + b"\x00" + nonce + cipher, "sha256")
    return base64.b64encode(nonce + tag + cipher).decode("ascii")


def unseal(username, sealed):
    raw = base64.b64decode(sealed)
    nonce, tag, cipher = raw[:16], raw[16:48], raw[48:]
    expected = hmac.digest(MAC_KEY, username.encode("utf-8") + b"\x00" + nonce + cipher, "sha256")
    if not hmac.compare_digest(tag, expected):
        raise ValueError("corrupt secret")
    return bytes(a ^ b for a, b in zip(cipher, keystream(nonce, len(cipher)))).decode("utf-8")


def message(text, status):
    return JsonResponse({"message": text}, status=status)


def read_json(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def authorized_user(request, username):
    """The user the bearer token names, if the token is valid and names exactly this username."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not isinstance(username, str) or not username:
        return None
    try:
        claims = jwt.decode(
            header[len("Bearer "):].strip(), SIGN_KEY, algorithms=["HS256"], options={"require": ["exp", "sub"]}
        )
        user_id = uuid.UUID(claims["sub"])
    except (jwt.InvalidTokenError, ValueError, TypeError):
        return None
    if claims.get("username") != username:
        return None
    return User.objects.filter(id=user_id, username=username).first()


@csrf_exempt
@require_POST
def register(request):
    body = read_json(request)
    if body is None:
        return message(INVALID_DATA, 400)
    email, username, password = body.get("email"), body.get("username"), body.get("password")
    if not all(isinstance(v, str) for v in (email, username, password)):
        return message(INVALID_DATA, 400)
    email, username = email.strip(), username.strip()
    if not EMAIL_RE.match(email) or len(email) > 254 or not username or len(username) > 64 or not password:
        return message(INVALID_DATA, 400)
    try:
        User.objects.create(email=email, username=username, password_hash=make_password(password))
    except IntegrityError:
        return message(INVALID_DATA, 400)
    return message("Registration successful", 201)


@csrf_exempt
@require_POST
def login(request):
    body = read_json(request)
    if body is None:
        return message(INVALID_LOGIN, 401)
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        return message(INVALID_LOGIN, 401)
    user = User.objects.filter(email=email.strip()).first()
    if user is None or not check_password(password, user.password_hash):
        return message(INVALID_LOGIN, 401)
    now = datetime.datetime.now(datetime.timezone.utc)
    token = jwt.encode(
        {
            "sub": str(user.id),
            "username": user.username,
            "iat": now,
            "exp": now + datetime.timedelta(hours=1),
            "jti": str(uuid.uuid4()),
        },
        SIGN_KEY,
        algorithm="HS256",
    )
    return JsonResponse({"token": token, "message": "Login successful"})


@csrf_exempt
@require_POST
def set_secret(request):
    body = read_json(request)
    if body is None:
        return message("Invalid data", 400)
    user = authorized_user(request, body.get("username"))
    if user is None:
        return message(INVALID_TOKEN, 401)
    secret = body.get("secret")
    if not isinstance(secret, str):
        return message("Invalid data", 400)
    Secret.objects.update_or_create(user=user, defaults={"sealed": seal(user.username, secret)})
    return message("Secret has been set successfully", 200)


@require_GET
def get_secret(request):
    user = authorized_user(request, request.GET.get("username", ""))
    if user is None:
        return message(INVALID_TOKEN, 401)
    stored = Secret.objects.filter(user=user).first()
    if stored is None:
        return message("No secret stored", 404)
    try:
        plain = unseal(user.username, stored.sealed)
    except ValueError:
        return message("Internal error", 500)
    return JsonResponse({"secret": plain})
