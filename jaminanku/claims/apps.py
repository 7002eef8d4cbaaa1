from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "jaminanku.claims"
    label = "claims"
    verbose_name = _("Klaim JHT")
