"""`manage.py make_card_key`: writes a new Ed25519 card signing key to CARD_SIGNING_KEY_FILE (once)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jaminanku.card.signing import generate_private_key_pem, load_private_key, public_key_pem, write_new_key_file


class Command(BaseCommand):
    help = "Makes the Ed25519 key that signs digital cards (kept if one exists, unless --force)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="replace an existing key (old cards stop verifying)")
        parser.add_argument("--print", action="store_true", help="print the private key PEM instead of writing it")

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        if options["print"]:
            self.stdout.write(generate_private_key_pem().decode())
            return
        path = Path(settings.CARD_SIGNING_KEY_FILE)
        if path.exists() and not force:
            self.stdout.write(f"Card signing key already at {path}; keeping it.")
            return
        if settings.CARD_SIGNING_KEY and not force:
            raise CommandError("CARD_SIGNING_KEY is set in the environment; nothing to write.")
        if force:
            path.unlink(missing_ok=True)
        if not write_new_key_file(path):  # another process wrote one in between: that one stays
            self.stdout.write(f"Card signing key already at {path}; keeping it.")
            return
        self.stdout.write(f"Card signing key written to {path}. Public key:\n")
        self.stdout.write(public_key_pem(load_private_key(path.read_bytes())).decode())
