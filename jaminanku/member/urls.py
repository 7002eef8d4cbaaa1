"""The member's own pages: home, balance and statement, claim readiness, the personal-data export, and the files
that make the site installable (service worker, manifest)."""

from django.urls import path

from jaminanku.member import pages, views

app_name = "member"

urlpatterns = [
    path("", views.home, name="home"),
    path("saldo/<str:kpj>/", pages.balance, name="balance"),
    path("saldo/<str:kpj>/rincian-saldo.pdf", pages.balance_pdf, name="balance_pdf"),
    path("klaim/<str:kpj>/", pages.claim, name="claim"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("akun/data-saya.json", views.my_data, name="my_data"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
