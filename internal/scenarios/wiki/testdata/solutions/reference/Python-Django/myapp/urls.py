from django.urls import path

from . import views

urlpatterns = [
    path("entries", views.entries),
    path("entries/<str:entry_id>", views.entry),
    path("entries/<str:entry_id>/edits", views.edits),
]
