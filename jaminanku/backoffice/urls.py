from django.urls import include, path

from jaminanku.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.staff_dashboard, name="dashboard"),
    path("klaim/", include("jaminanku.backoffice.claims_urls")),
    path("pembayaran-klaim/", include("jaminanku.backoffice.payouts_urls")),
]
