"""Card pages: the member's own cards under /kartu/, and the public verification of a scanned card."""

from django.urls import path

from jaminanku.card import views

app_name = "card"

urlpatterns = [
    path("kartu/", views.my_cards, name="page"),
    path("kartu/kunci-publik.pem", views.public_key, name="public_key"),
    path("kartu/<str:kpj>.png", views.card_image, name="png"),
    path("kartu/<str:kpj>.pdf", views.card_document, name="pdf"),
    path("verify/<str:token>/", views.verify, name="verify"),
]
