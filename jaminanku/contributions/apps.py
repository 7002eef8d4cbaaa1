from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "jaminanku.contributions"
    label = "contributions"
    verbose_name = _("Iuran dan saldo JHT")
