import json

from django.db.models import Count
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Association

MAX_PHONES = 100


def read_json(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt
@require_POST
def associate_card(request):
    body = read_json(request)
    if body is None:
        return JsonResponse({"error": "invalid request"}, status=400)
    card, phone = body.get("credit_card"), body.get("phone")
    if not isinstance(card, str) or not isinstance(phone, str) or not card.strip() or not phone.strip():
        return JsonResponse({"error": "credit_card and phone are required"}, status=400)
    card, phone = card.strip(), phone.strip()
    if len(card) > 255 or len(phone) > 255:
        return JsonResponse({"error": "credit_card and phone are too long"}, status=400)
    Association.objects.get_or_create(credit_card=card, phone=phone)
    return JsonResponse({"message": "association created"}, status=201)


@csrf_exempt
@require_POST
def retrieve_cards(request):
    body = read_json(request)
    phones = body.get("phone_numbers") if body is not None else None
    if not isinstance(phones, list) or not all(isinstance(p, str) for p in phones):
        return JsonResponse({"error": "phone_numbers must be an array of strings"}, status=400)
    # A lookup must name at least one phone: an empty set would otherwise match every card.
    if not phones or len(phones) > MAX_PHONES:
        return JsonResponse({"error": "phone_numbers must list 1 to 100 phone numbers"}, status=400)
    wanted = {p.strip() for p in phones}
    if "" in wanted:
        return JsonResponse({"error": "empty phone number"}, status=400)
    cards = list(
        Association.objects.filter(phone__in=wanted)
        .values("credit_card")
        .annotate(matched=Count("phone", distinct=True))
        .filter(matched=len(wanted))
        .order_by("credit_card")
        .values_list("credit_card", flat=True)
    )
    if not cards:
        return JsonResponse({"error": "no cards found"}, status=404)
    return JsonResponse({"card_numbers": cards}, status=200)
