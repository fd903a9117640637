import re

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import Profile

MAX_REQUEST = 8 * 1024 * 1024  # whole multipart body
MAX_PAGE = 1024 * 1024  # HTML page
MAX_PHOTO = 6 * 1024 * 1024  # PNG picture
VALID_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def text(status, message):
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def form_value(request, name, limit):
    """One form field, or the content of a file part, whichever the client sent; None if too large."""
    if name in request.POST:
        value = request.POST[name].encode("utf-8")
    elif name in request.FILES:
        upload = request.FILES[name]
        if upload.size > limit:
            return None
        value = upload.read()
    else:
        return b""
    return value if len(value) <= limit else None


@csrf_exempt
@require_POST
def add_profile(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REQUEST:
        return text(413, "Request too large")
    if request.content_type != "multipart/form-data":
        return text(400, "Invalid input")
    username = request.POST.get("username", "")
    page = form_value(request, "profile_page", MAX_PAGE)
    photo = form_value(request, "profile_photo", MAX_PHOTO)
    if page is None or photo is None:
        return text(413, "Profile page or photo too large")
    if not VALID_USERNAME.match(username) or not page or not photo.startswith(PNG_MAGIC):
        return text(400, "Invalid input")
    try:
        page_text = page.decode("utf-8")
    except UnicodeDecodeError:
        return text(400, "Invalid input")
    try:
        with transaction.atomic():
            if Profile.objects.filter(username=username).exists():
                return text(403, "Profile already exists, creation forbidden")
            Profile.objects.create(username=username, page=page_text, photo=photo)
    except IntegrityError:
        return text(403, "Profile already exists, creation forbidden")
    return text(201, "Profile created successfully")


@require_GET
def profile(request, username):
    found = Profile.objects.filter(username=username).first()
    if found is None:
        return text(404, "Profile not found")
    # User-supplied markup is never served as markup: it is shown escaped, and scripts are forbidden.
    page = '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre>%s</pre></body></html>' % escape(
        found.page
    )
    response = HttpResponse(page, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def profile_photo(request, username):
    found = Profile.objects.filter(username=username).first()
    if found is None or not found.photo:
        return text(404, "Profile photo not found")
    response = HttpResponse(bytes(found.photo), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return response
