from django.urls import path

from jaminanku.staff import views

app_name = "staff"

urlpatterns = [path("", views.staff_dashboard, name="dashboard")]
