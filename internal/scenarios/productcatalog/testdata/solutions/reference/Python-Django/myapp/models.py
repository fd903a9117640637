from django.db import models


class Product(models.Model):
    name = models.TextField(primary_key=True)
    # The product's properties (all strings, "name" included) as a JSON object.
    data = models.TextField()
