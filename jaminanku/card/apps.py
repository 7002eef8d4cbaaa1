from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CardConfig(AppConfig):
    name = "jaminanku.card"
    label = "card"
    verbose_name = _("Kartu digital")

    def ready(self) -> None:
        from jaminanku.card import checks  # noqa: F401  registers the deployment check
