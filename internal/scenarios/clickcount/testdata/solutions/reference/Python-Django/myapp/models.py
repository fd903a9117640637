from django.db import models


class Click(models.Model):
    id = models.CharField(primary_key=True, max_length=36)
    # Fixed-width UTC text, so text order is time order.
    timestamp = models.CharField(max_length=32, db_index=True)
