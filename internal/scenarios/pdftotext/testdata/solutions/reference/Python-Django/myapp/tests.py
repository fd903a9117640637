from django.test import TestCase  # noqa: F401
