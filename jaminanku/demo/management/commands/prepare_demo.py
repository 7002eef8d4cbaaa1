"""`make run`'s setup step: loads the demo population when the database is empty, makes sure a staff user and
a demo member exist, and prints how to log in."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from jaminanku.registry.models import Person


def _credentials() -> dict[str, str]:
    path = settings.VAR_DIR / "demo-credentials.json"
    if path.exists():
        return json.loads(path.read_text())
    data = {"staff_username": "staf", "staff_password": secrets.token_urlsafe(9)}
    path.write_text(json.dumps(data))
    path.chmod(0o600)
    return data


class Command(BaseCommand):
    help = "Loads demo data when the database is empty and prints how to log in."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--persons", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, persons: int, seed: int, **options: Any) -> None:
        if not Person.objects.exists():
            self.stdout.write(f"Loading the demo population ({persons} persons)…")
            call_command("seed_demo", persons=persons, seed=seed)
        creds = _credentials()
        user_model = get_user_model()
        staff, created = user_model.objects.get_or_create(
            username=creds["staff_username"], defaults={"is_staff": True, "is_superuser": True}
        )
        if created or not staff.check_password(creds["staff_password"]):
            staff.set_password(creds["staff_password"])
            staff.is_staff = staff.is_superuser = True
            staff.save()
        port = __import__("os").environ.get("PORT", "8000")
        lines = [
            "",
            "JaminanKu is starting on http://127.0.0.1:%s/" % port,
            "",
            "Back office (staff):  http://127.0.0.1:%s/admin/" % port,
            "  username: %s   password: %s" % (creds["staff_username"], creds["staff_password"]),
        ]
        lines += self._member_lines(port)
        self.stdout.write("\n".join(lines) + "\n")

    def _member_lines(self, port: str) -> list[str]:
        lines: list[str] = []
        try:
            from jaminanku.demo.identity import demo_member_login, demo_signup_identity
        except ImportError:
            return lines
        login = demo_member_login()
        if login:
            lines += [
                "",
                "Demo member with an account:  http://127.0.0.1:%s/masuk/" % port,
                "  email: %s   password: %s" % (login["email"], login["password"]),
            ]
        identity = demo_signup_identity()
        if identity:
            lines += [
                "",
                "Try the sign-up (http://127.0.0.1:%s/daftar/) as a registered person without an account:" % port,
                "  name: %(full_name)s   date of birth: %(date_of_birth)s" % identity,
                "  NIK: %(nik)s   KPJ: %(kpj)s   segment: %(segment)s" % identity,
                "  Codes sent by email and SMS are shown at http://127.0.0.1:%s/dev/outbox/" % port,
            ]
        return lines
