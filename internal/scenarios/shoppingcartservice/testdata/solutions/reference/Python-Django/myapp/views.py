import json
import uuid

from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Cart, CartItem

MAX_COUNT = 1_000_000
MAX_ITEM_ID = 2**63 - 1


def fail(status, message):
    return JsonResponse({"error": message}, status=status)


def read_json(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def find_cart(cart_id):
    try:
        return Cart.objects.filter(id=uuid.UUID(cart_id)).first()
    except (ValueError, TypeError, AttributeError):
        return None


@csrf_exempt
@require_POST
def create_cart(request):
    cart = Cart.objects.create()
    return JsonResponse({"cart_id": str(cart.id)}, status=201)


@csrf_exempt
@require_POST
def add_to_cart(request):
    body = read_json(request)
    if body is None:
        return fail(400, "cart_id (string), item_id (integer) and count (integer) are required")
    cart_id, item_id, count = body.get("cart_id"), body.get("item_id"), body.get("count")
    if not isinstance(cart_id, str) or not is_int(item_id) or not is_int(count):
        return fail(400, "cart_id (string), item_id (integer) and count (integer) are required")
    if abs(item_id) > MAX_ITEM_ID or abs(count) > MAX_COUNT:
        return fail(400, "count is out of range")
    with transaction.atomic():
        cart = find_cart(cart_id)
        if cart is None:
            return fail(404, "cart not found")
        item = CartItem.objects.select_for_update().filter(cart=cart, item_id=item_id).first()
        total = (item.count if item else 0) + count
        # A cart never holds a negative number of an item, nor more than MAX_COUNT.
        if total < 0:
            return fail(400, "cannot remove more items than the cart holds")
        if total > MAX_COUNT:
            return fail(400, "count is out of range")
        if total == 0:
            if item:
                item.delete()
        elif item:
            item.count = total
            item.save(update_fields=["count"])
        else:
            CartItem.objects.create(cart=cart, item_id=item_id, count=total)
    return JsonResponse({"message": "Item updated"})


@csrf_exempt
@require_POST
def retrieve_cart(request):
    body = read_json(request)
    if body is None or not isinstance(body.get("cart_id"), str):
        return fail(400, "cart_id (string) is required")
    cart = find_cart(body["cart_id"])
    if cart is None:
        return fail(404, "cart not found")
    items = [
        {"item_id": i.item_id, "count": i.count} for i in cart.items.filter(count__gt=0).order_by("item_id")
    ]
    return JsonResponse({"cart_id": str(cart.id), "items": items})
