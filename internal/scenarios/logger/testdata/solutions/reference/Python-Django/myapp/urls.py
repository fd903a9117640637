from django.urls import path

from . import views

urlpatterns = [
    path("log", views.log),
    path("logs", views.logs),
]
