from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender: Any, **kwargs: Any) -> None:
    from jaminanku.staff.roles import sync_roles

    sync_roles()


class StaffConfig(AppConfig):
    name = "jaminanku.staff"
    label = "staff"
    verbose_name = _("Petugas")

    def ready(self) -> None:
        # Permissions exist only once every app has migrated (auth creates them app by app on post_migrate),
        # so the roles are synced on the post_migrate of the last app with models (only those send it).
        last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
        post_migrate.connect(_sync_roles, sender=last, dispatch_uid="jaminanku.staff.sync_roles")
