import csv
import io
import json
import math
import re

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html, format_html_join
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import Merchant, Ware

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SESSION_KEY = "merchant_id"
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Wares</title></head><body>
<table>
<tr><th>Name</th><th>Price</th><th>Description</th><th>Merchant</th></tr>
{}</table>
</body></html>
"""


def error(status, text):
    return JsonResponse({"error": text}, status=status)


def read_json(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def current_merchant(request):
    merchant_id = request.session.get(SESSION_KEY)
    if merchant_id is None:
        return None
    return Merchant.objects.filter(id=merchant_id).first()


@csrf_exempt
@require_POST
def register(request):
    body = read_json(request)
    if body is None:
        return error(400, "Invalid input")
    email, name, password = body.get("email"), body.get("name"), body.get("password")
    if not all(isinstance(v, str) for v in (email, name, password)):
        return error(400, "Invalid input")
    email = email.strip()
    if not EMAIL_RE.match(email) or len(email) > 254 or not name.strip() or len(name) > 200 or not password:
        return error(400, "Invalid input")
    try:
        Merchant.objects.create(email=email, name=name, password_hash=make_password(password))
    except IntegrityError:
        return error(400, "Invalid input")
    return JsonResponse({"message": "Merchant registered successfully"}, status=201)


@csrf_exempt
@require_POST
def login(request):
    body = read_json(request)
    email, password = (body.get("email"), body.get("password")) if body else (None, None)
    if not isinstance(email, str) or not isinstance(password, str):
        return error(401, "Invalid email or password")
    merchant = Merchant.objects.filter(email=email.strip()).first()
    if merchant is None or not check_password(password, merchant.password_hash):
        return error(401, "Invalid email or password")
    # A new session key on every login (no session fixation).
    request.session.flush()
    request.session[SESSION_KEY] = merchant.id
    return JsonResponse({"message": "Login successful"})


class InvalidCSV(Exception):
    pass


def parse_wares(text):
    wares = []
    for number, row in enumerate(csv.reader(io.StringIO(text), skipinitialspace=True)):
        if not row:
            continue
        if len(row) != 3:
            raise InvalidCSV()
        name, description, price_text = row
        try:
            price = float(price_text.strip())
        except ValueError:
            if number == 0 and name.strip().lower() == "name" and price_text.strip().lower() == "price":
                continue  # a header row
            raise InvalidCSV()
        if not math.isfinite(price) or price < 0 or not name.strip():
            raise InvalidCSV()
        wares.append((name, description, price))
    if not wares:
        raise InvalidCSV()
    return wares


@csrf_exempt
@require_POST
def upload_wares(request):
    merchant = current_merchant(request)
    if merchant is None:
        return error(401, "Unauthorized")
    body = read_json(request)
    text = body.get("csv") if body else None
    if not isinstance(text, str):
        return error(400, "Invalid CSV format")
    try:
        wares = parse_wares(text)
    except (InvalidCSV, csv.Error):
        return error(400, "Invalid CSV format")
    with transaction.atomic():
        Ware.objects.bulk_create(
            [Ware(merchant=merchant, name=n, description=d, price=p) for n, d, p in wares]
        )
    return JsonResponse({"message": "Wares uploaded successfully"})


def price_param(request, name):
    raw = request.GET.get(name, "")
    if raw == "":
        return None
    value = float(raw)  # ValueError for the caller
    if math.isnan(value):
        raise ValueError()
    return value


@require_GET
def wares(request):
    if current_merchant(request) is None:
        return error(401, "Unauthorized")
    found = Ware.objects.select_related("merchant").order_by("id")
    for name, lookup in (("minPrice", "price__gte"), ("maxPrice", "price__lte")):
        try:
            value = price_param(request, name)
        except ValueError:
            return error(400, "invalid %s" % name)
        if value is not None:
            found = found.filter(**{lookup: value})
    # format_html escapes every value it inserts.
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        ((w.name, "%.2f" % w.price, w.description, w.merchant.email) for w in found),
    )
    response = HttpResponse(format_html(PAGE, rows), content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
