from django.urls import path

from jaminanku.card import views

app_name = "card"

urlpatterns = [
    path("verify/<str:token>/", views.verify, name="verify"),
    path("kartu/kunci-publik.pem", views.public_key, name="public_key"),
]
