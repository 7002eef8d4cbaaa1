"""Claim references a member can read out over the phone: 8 characters without 0/O or 1/I, like booking codes."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(8))


def normalise_reference(text: str) -> str:
    """What a member typed or said: case and spaces do not matter."""
    return "".join(text.split()).upper()
