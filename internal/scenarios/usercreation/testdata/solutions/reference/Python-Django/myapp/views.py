import json
import re
import uuid

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Invitation, User

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def message(status, text):
    return JsonResponse({"message": text}, status=status)


def read_json(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt
@require_POST
def invite_user(request):
    body = read_json(request)
    if body is None:
        return message(400, "Invalid request")
    email = body.get("email")
    if not isinstance(email, str):
        return message(400, "Invalid email")
    email = email.strip().lower()
    if not EMAIL_RE.match(email) or len(email) > 254:
        return message(400, "Invalid email")
    invitation, created = Invitation.objects.get_or_create(email=email)
    text = "Invitation created" if created else "Invitation already exists for this email"
    return JsonResponse({"invite_id": str(invitation.invite_id), "message": text})


@csrf_exempt
@require_POST
def create_user(request):
    body = read_json(request)
    if body is None:
        return message(400, "Invalid request")
    invite_id, name, password = body.get("invite_id"), body.get("user_name"), body.get("password")
    try:
        invite_uuid = uuid.UUID(invite_id) if isinstance(invite_id, str) else None
    except ValueError:
        invite_uuid = None
    if invite_uuid is None:
        return message(401, "Invalid invite_id")
    with transaction.atomic():
        # Only an existing, unused invitation admits a new user; it is spent by the user it creates.
        invitation = Invitation.objects.select_for_update().filter(invite_id=invite_uuid, used=False).first()
        if invitation is None:
            return message(401, "Invalid invite_id")
        if not isinstance(name, str) or not isinstance(password, str):
            return message(400, "A user name and a password are required")
        name = name.strip()
        if not name or len(name) > 100 or not password:
            return message(400, "A user name and a password are required")
        if User.objects.filter(user_name=name).exists():
            return message(400, "Username already exists. Try providing different username.")
        try:
            User.objects.create(user_name=name, email=invitation.email, password_hash=make_password(password))
        except IntegrityError:
            return message(400, "Username already exists. Try providing different username.")
        invitation.used = True
        invitation.save(update_fields=["used"])
    return message(200, "User created")
