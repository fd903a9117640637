from django.db import models


class Profile(models.Model):
    username = models.CharField(max_length=64, primary_key=True)
    page = models.TextField()
    photo = models.BinaryField()
