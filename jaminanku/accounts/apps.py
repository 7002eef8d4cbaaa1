from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jaminanku.accounts"
    label = "accounts"
    verbose_name = _("Akun peserta")

    def ready(self) -> None:
        from jaminanku.accounts.sessions import active_sessions  # noqa: F401  (registers its login/logout receivers)
