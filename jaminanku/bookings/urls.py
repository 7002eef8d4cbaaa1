"""Queue booking pages: the member's bookings under /antrian/, and the counter's queue for staff under
/staf/antrian/."""

from django.urls import path

from jaminanku.bookings import staff_views, views

app_name = "bookings"

urlpatterns = [
    path("antrian/", views.my_bookings, name="mine"),
    path("antrian/baru/", views.book, name="book"),
    path("antrian/<str:code>/", views.detail, name="detail"),
    path("antrian/<str:code>/qr.png", views.qr, name="qr"),
    path("antrian/<str:code>/kalender.ics", views.ics, name="ics"),
    path("antrian/<str:code>/batal/", views.cancel, name="cancel"),
    path("antrian/<str:code>/ubah/", views.reschedule, name="reschedule"),
    path("staf/antrian/", staff_views.day_view, name="staff_queue"),
    path("staf/antrian/hadir/", staff_views.check_in, name="staff_check_in"),
    path("staf/antrian/tutup/", staff_views.close, name="staff_close"),
    path("staf/antrian/kapasitas/", staff_views.capacity, name="staff_capacity"),
    path("staf/antrian/<str:pk>/<slug:action>/", staff_views.status, name="staff_status"),
]
