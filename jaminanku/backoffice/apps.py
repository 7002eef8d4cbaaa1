from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The staff dashboard: reads every app's figures for the roles that may see them; no app imports it."""

    name = "jaminanku.backoffice"
    label = "backoffice"
    verbose_name = _("Kantor belakang")
