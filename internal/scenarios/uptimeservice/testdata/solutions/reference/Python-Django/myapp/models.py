from django.db import models


class Service(models.Model):
    service_id = models.CharField(max_length=1024)
    # A keyed hash of the token (see views.token_key), never the token itself.
    token_hash = models.CharField(max_length=64, db_index=True)
    last_notification = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service_id", "token_hash"], name="unique_service_token")]
