from django.urls import path

from jaminanku.backoffice import views

app_name = "backoffice"

urlpatterns = [path("", views.staff_dashboard, name="dashboard")]
