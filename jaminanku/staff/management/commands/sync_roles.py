"""`manage.py sync_roles`: makes the staff groups carry exactly the permissions in staff/roles.py."""

from typing import Any

from django.core.management.base import BaseCommand

from jaminanku.staff.roles import sync_roles


class Command(BaseCommand):
    help = "Creates or updates the staff role groups."

    def handle(self, *args: Any, **options: Any) -> None:
        sync_roles()
        self.stdout.write("Staff roles synchronised.")
