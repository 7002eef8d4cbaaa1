"""Program pages under /program/ and the calculators under /kalkulator/."""

from django.urls import path

from jaminanku.programs import views

app_name = "programs"

urlpatterns = [
    path("kalkulator/", views.calculators_page, name="calculators"),
    path("program/", views.program_list, name="list"),
    path("program/<str:code>/", views.program_detail, name="detail"),
]
