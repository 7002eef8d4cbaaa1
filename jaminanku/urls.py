"""Top-level URLs: each app's pages (its urls.py, included once), the admin, the API and language switching."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from jaminanku.accounts.login.views import StaffLoginView
from jaminanku.api.urls import api

urlpatterns = [
    # the back office's login takes the same second step as the members' (jaminanku/accounts/login/views.py)
    path("admin/login/", StaffLoginView.as_view(), name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("berita/", include("jaminanku.news.urls")),
    path("staf/", include("jaminanku.backoffice.urls")),
    path("", include("jaminanku.card.urls")),
    path("", include("jaminanku.accounts.urls")),
    path("", include("jaminanku.member.urls")),
    path("", include("jaminanku.offices.urls")),
    path("", include("jaminanku.bookings.urls")),
    path("klaim-jht/", include("jaminanku.claims.urls")),
    path("", include("jaminanku.programs.urls")),
]

if settings.DEBUG:
    urlpatterns += [path("dev/", include("jaminanku.notify.urls"))]
