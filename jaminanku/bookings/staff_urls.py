"""The counter's queue page under /staf/antrian/ (included by member/urls.py as the `staff_queue` namespace)."""

from django.urls import path

from jaminanku.bookings import staff_views

app_name = "staff_queue"

urlpatterns = [
    path("", staff_views.day_view, name="day"),
    path("hadir/", staff_views.check_in, name="check_in"),
    path("tutup/", staff_views.close, name="close"),
    path("kapasitas/", staff_views.capacity, name="capacity"),
    path("<str:pk>/<slug:action>/", staff_views.status, name="status"),
]
