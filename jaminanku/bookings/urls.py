"""Member queue URLs under /antrian/ (included by member/urls.py as the `bookings` namespace); the list itself is
`member:queue`, the bottom navigation's link."""

from django.urls import path

from jaminanku.bookings import views

app_name = "bookings"

urlpatterns = [
    path("baru/", views.book, name="book"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/qr.png", views.qr, name="qr"),
    path("<str:code>/kalender.ics", views.ics, name="ics"),
    path("<str:code>/batal/", views.cancel, name="cancel"),
    path("<str:code>/ubah/", views.reschedule, name="reschedule"),
]
