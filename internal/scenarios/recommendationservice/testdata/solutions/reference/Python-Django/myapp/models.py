from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=200)


class ProductTag(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=100, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "tag"], name="unique_product_tag")]
