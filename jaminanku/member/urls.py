from django.urls import include, path

from jaminanku.accounts.views import account as account_views
from jaminanku.bookings import views as bookings_views
from jaminanku.card import views as card_views
from jaminanku.member import pages, views
from jaminanku.offices import views as offices_views
from jaminanku.programs import views as programs_views

app_name = "member"

urlpatterns = [
    path("", views.home, name="home"),
    path("kartu/", card_views.my_cards, name="card"),
    path("kartu/<str:kpj>.png", card_views.card_image, name="card_png"),
    path("kartu/<str:kpj>.pdf", card_views.card_document, name="card_pdf"),
    path("saldo/<str:kpj>/", pages.balance, name="balance"),
    path("saldo/<str:kpj>/rincian-saldo.pdf", pages.balance_pdf, name="balance_pdf"),
    path("klaim/<str:kpj>/", pages.claim, name="claim"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("kantor/", offices_views.nearest, name="offices"),
    path("antrian/", bookings_views.my_bookings, name="queue"),
    path("antrian/", include("jaminanku.bookings.urls")),
    path("staf/antrian/", include("jaminanku.bookings.staff_urls")),
    path("akun/", account_views.account_page, name="account"),
    path("akun/data-saya.json", views.my_data, name="my_data"),
    path("kalkulator/", programs_views.calculators_page, name="calculators"),
    path("program/", programs_views.program_list, name="programs"),
    path("program/<str:code>/", programs_views.program_detail, name="program"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
