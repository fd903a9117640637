import uuid

from django.db import models


class Recipe(models.Model):
    seq = models.BigAutoField(primary_key=True)
    id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    ingredients = models.JSONField()
    instructions = models.TextField()


class Comment(models.Model):
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="comments", to_field="id")
    comment = models.TextField()


class Rating(models.Model):
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="ratings", to_field="id")
    rating = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="rating_1_to_5")]
