import uuid

from django.db import models


class Invitation(models.Model):
    invite_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    email = models.CharField(max_length=254, unique=True)
    used = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)


class User(models.Model):
    user_name = models.CharField(max_length=100, unique=True)
    email = models.CharField(max_length=254)
    password_hash = models.CharField(max_length=256)
