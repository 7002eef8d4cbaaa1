"""The office finder under /kantor/."""

from django.urls import path

from jaminanku.offices import views

app_name = "offices"

urlpatterns = [path("kantor/", views.nearest, name="nearest")]
