"""`manage.py demo_identity [--json]`: the registry facts of a demo person without an account, for the sign-up."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jaminanku.demo.identity import demo_signup_identity


class Command(BaseCommand):
    help = "Prints a demo person who can try the sign-up (name, date of birth, NIK, KPJ, segment)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        identity = demo_signup_identity()
        if identity is None:
            raise CommandError("No demo person without an account; run seed_demo first.")
        if options["json"]:
            self.stdout.write(json.dumps(identity))
        else:
            for key, value in identity.items():
                self.stdout.write(f"{key}: {value}")
