"""Card tokens: compact, round-trip, and refuse any alteration or another key."""

from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jaminanku.card.signing import CardClaim, InvalidToken, sign_card, verify_card

KEY = Ed25519PrivateKey.generate()
CLAIM = CardClaim(kpj="24000000123", issued_on=date(2026, 11, 24))


def test_round_trip_is_compact():
    token = sign_card(CLAIM, KEY)
    assert len(token) == 96
    assert verify_card(token, KEY.public_key()) == CLAIM


def test_every_altered_character_is_rejected():
    token = sign_card(CLAIM, KEY)
    for i in range(0, len(token), 7):
        swapped = "A" if token[i] != "A" else "B"
        altered = token[:i] + swapped + token[i + 1 :]
        with pytest.raises(InvalidToken):
            verify_card(altered, KEY.public_key())


def test_a_token_signed_with_another_key_is_rejected():
    forged = sign_card(CLAIM, Ed25519PrivateKey.generate())
    with pytest.raises(InvalidToken):
        verify_card(forged, KEY.public_key())


@pytest.mark.parametrize("junk", ["", "x", "!!!!", "A" * 96, "A" * 500, "ö" * 96])
def test_junk_is_rejected(junk):
    with pytest.raises(InvalidToken):
        verify_card(junk, KEY.public_key())


def test_settings_key_from_the_command(tmp_path, settings):
    from django.core.management import call_command

    from jaminanku.card import signing

    settings.CARD_SIGNING_KEY = ""
    settings.CARD_SIGNING_KEY_FILE = tmp_path / "card.pem"
    call_command("make_card_key")
    signing._key_from.cache_clear()
    token = sign_card(CLAIM)
    assert verify_card(token) == CLAIM
    assert oct((tmp_path / "card.pem").stat().st_mode)[-3:] == "600"
