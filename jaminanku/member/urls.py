from django.urls import path

from jaminanku.member import views
from jaminanku.offices import views as offices_views
from jaminanku.programs import views as programs_views

app_name = "member"

urlpatterns = [
    path("", views.home, name="home"),
    path("kartu/", views.placeholder, {"section": "card"}, name="card"),
    path("kantor/", offices_views.nearest, name="offices"),
    path("antrian/", views.placeholder, {"section": "queue"}, name="queue"),
    path("akun/", views.placeholder, {"section": "account"}, name="account"),
    path("kalkulator/", programs_views.calculators_page, name="calculators"),
    path("program/", programs_views.program_list, name="programs"),
    path("program/<str:code>/", programs_views.program_detail, name="program"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
