from typing import Any

from django.apps import AppConfig
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
        # Permissions exist only after every app migrated, so roles are synced after migrate, not in a migration.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="jaminanku.staff.sync_roles")
