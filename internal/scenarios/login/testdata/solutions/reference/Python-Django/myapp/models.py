import uuid

from django.db import models


class Account(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.CharField(max_length=254, unique=True)
    password_hash = models.CharField(max_length=256)
    name = models.CharField(max_length=200, blank=True, default="")
