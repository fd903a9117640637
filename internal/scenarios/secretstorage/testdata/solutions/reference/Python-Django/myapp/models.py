import uuid

from django.db import models


class User(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.CharField(max_length=254, unique=True)
    username = models.CharField(max_length=64, unique=True)
    password_hash = models.CharField(max_length=256)


class Secret(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True)
    # Encrypted and authenticated (see views.seal); never the plain secret.
    sealed = models.TextField()
