import datetime
import difflib
import json
import uuid

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.template import Context, Engine
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from .models import Edit, Entry

# Django's template engine escapes every value it renders.
ENGINE = Engine()
LIST = ENGINE.from_string(
    """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Wiki</title></head><body>
<h1>Wiki entries</h1>
<ul>{% for e in entries %}<li><a href="/entries/{{ e.id }}">{{ e.title }}</a></li>
{% empty %}<li>No entries yet.</li>{% endfor %}</ul>
</body></html>
"""
)
ENTRY = ENGINE.from_string(
    """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ entry.title }}</title></head><body>
<h1>{{ entry.title }}</h1>
<div class="content"><pre>{{ entry.content }}</pre></div>
<p>Last edited {{ modified_at }} by {{ entry.last_modified_by }}</p>
<h2>Contributors</h2>
<ul>{% for who in contributors %}<li>{{ who }}</li>
{% endfor %}</ul>
<p><a href="/entries/{{ entry.id }}/edits">Edit history</a> | <a href="/entries">All entries</a></p>
</body></html>
"""
)
EDITS = ENGINE.from_string(
    """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>History of {{ entry.title }}</title></head><body>
<h1>History of {{ entry.title }}</h1>
{% for edit in edits %}<div class="edit">
<p><strong>{{ edit.summary }}</strong> by {{ edit.modified_by }} on {{ edit.modified_at }}</p>
<pre>{% for op, text in edit.diff %}{{ op }} {{ text }}
{% endfor %}</pre>
</div>
{% empty %}<p>This entry has not been edited yet.</p>
{% endfor %}<p><a href="/entries/{{ entry.id }}">Back to the entry</a></p>
</body></html>
"""
)


def fail(status, message):
    return JsonResponse({"error": message}, status=status)


def stamp(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def as_json(entry):
    return {
        "id": str(entry.id),
        "title": entry.title,
        "content": entry.content,
        "lastModifiedBy": entry.last_modified_by,
        "lastModifiedAt": stamp(entry.last_modified_at),
    }


def render(template, context):
    return HttpResponse(template.render(Context(context)), content_type="text/html; charset=utf-8")


def read_json(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def find(entry_id):
    try:
        return Entry.objects.filter(id=uuid.UUID(entry_id)).first()
    except ValueError:
        return None


def line_diff(before, after):
    """The edit as (op, line) pairs: " " kept, "-" removed, "+" added."""
    a, b = before.split("\n") if before else [], after.split("\n") if after else []
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [(" ", line) for line in a[i1:i2]]
            continue
        out += [("-", line) for line in a[i1:i2]]
        out += [("+", line) for line in b[j1:j2]]
    return out


def create_entry(request):
    body = read_json(request)
    title, content, created_by = (body.get(k) for k in ("title", "content", "createdBy")) if body else (None,) * 3
    if not all(isinstance(v, str) for v in (title, content, created_by)) or not title.strip() or not created_by.strip():
        return fail(400, "title, content and createdBy are required")
    now = timezone.now()
    entry = Entry.objects.create(
        title=title, content=content, created_by=created_by, last_modified_by=created_by, last_modified_at=now
    )
    return JsonResponse(as_json(entry), status=201)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def entries(request):
    if request.method == "POST":
        return create_entry(request)
    return render(LIST, {"entries": Entry.objects.order_by("created_at", "title")})


def show_entry(entry):
    contributors = [entry.created_by]
    for who in entry.edits.order_by("id").values_list("modified_by", flat=True):
        if who not in contributors:
            contributors.append(who)
    return render(ENTRY, {"entry": entry, "modified_at": stamp(entry.last_modified_at), "contributors": contributors})


def update_entry(request, entry):
    body = read_json(request)
    content, modified_by, summary = (body.get(k) for k in ("content", "modifiedBy", "summary")) if body else (None,) * 3
    if not all(isinstance(v, str) for v in (content, modified_by, summary)) or not modified_by.strip():
        return fail(400, "content, modifiedBy and summary are required")
    now = timezone.now()
    with transaction.atomic():
        Edit.objects.create(
            entry=entry,
            old_content=entry.content,
            new_content=content,
            modified_by=modified_by,
            summary=summary,
            modified_at=now,
        )
        entry.content, entry.last_modified_by, entry.last_modified_at = content, modified_by, now
        entry.save(update_fields=["content", "last_modified_by", "last_modified_at"])
    return JsonResponse(as_json(entry))


@csrf_exempt
@require_http_methods(["GET", "PUT"])
def entry(request, entry_id):
    found = find(entry_id)
    if found is None:
        return fail(404, "entry not found")
    if request.method == "PUT":
        return update_entry(request, found)
    return show_entry(found)


@require_GET
def edits(request, entry_id):
    found = find(entry_id)
    if found is None:
        return fail(404, "entry not found")
    history = [
        {
            "summary": e.summary,
            "modified_by": e.modified_by,
            "modified_at": stamp(e.modified_at),
            "diff": line_diff(e.old_content, e.new_content),
        }
        for e in found.edits.order_by("id")
    ]
    return render(EDITS, {"entry": found, "edits": history})
