import uuid

from django.db import models


class Entry(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.TextField()
    content = models.TextField()
    created_by = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    last_modified_by = models.TextField()
    last_modified_at = models.DateTimeField()


class Edit(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="edits")
    old_content = models.TextField()
    new_content = models.TextField()
    modified_by = models.TextField()
    summary = models.TextField()
    modified_at = models.DateTimeField()
