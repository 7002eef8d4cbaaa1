"""Anyone can verify a card: genuine cards show the status now, never the NIK or a balance."""

from datetime import date

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jaminanku.card import signing
from jaminanku.card.selectors import card_token
from jaminanku.registry.tests.factories import EmploymentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    membership = MembershipFactory(segment="PU")
    EmploymentFactory(membership=membership, start=date(2020, 1, 1))
    return membership


def test_genuine_card_shows_status_now_without_nik(client, member):
    token = card_token(member)
    page = client.get(f"/verify/{token}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Kartu asli" in html and member.kpj in html
    assert member.person.nik not in html
    api = client.get(f"/api/v1/card/verify/{token}").json()
    assert api["genuine"] is True and api["active"] is True and api["programs"]["JHT"] == "Aktif"
    assert member.person.nik not in str(api) and "balance" not in str(api)


def test_status_is_read_at_verification_time(client, member):
    token = card_token(member, issued_on=date(2021, 1, 1))
    employment = member.employments.get()
    employment.end, employment.end_reason = date(2022, 1, 31), "resignation"
    employment.save()
    api = client.get(f"/api/v1/card/verify/{token}").json()
    assert api["genuine"] is True and api["active"] is False and api["issued_on"] == "2021-01-01"


def test_altered_or_foreign_tokens_are_rejected(client, member):
    token = card_token(member)
    altered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    foreign = signing.sign_card(signing.CardClaim(member.kpj, date(2026, 1, 1)), Ed25519PrivateKey.generate())
    for bad in [altered, foreign, "nonsense"]:
        assert client.get(f"/verify/{bad}/").status_code == 404
        response = client.get(f"/api/v1/card/verify/{bad}")
        assert response.status_code == 404 and response.json()["code"] == "card_not_genuine"


def test_public_key_verifies_offline(client, member):
    pem = client.get("/kartu/kunci-publik.pem").content
    public_key = serialization.load_pem_public_key(pem)
    claim = signing.verify_card(card_token(member), public_key)
    assert claim.kpj == member.kpj


def test_readme_offline_recipe_verifies_a_real_card(client, member):
    """The README's recipe, run as written there, against a card the system issued."""
    import base64
    import datetime
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    recipe = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    pem = client.get("/kartu/kunci-publik.pem").content
    token = card_token(member, issued_on=date(2026, 11, 24))
    recipe = recipe.replace('open("kunci-publik.pem", "rb").read()', "PEM").replace('token = "…"', "token = TOKEN")
    scope = {"PEM": pem, "TOKEN": token, "base64": base64, "datetime": datetime}
    exec(recipe, scope)  # noqa: S102 — our own README
    assert scope["kpj"] == member.kpj and scope["issued"] == date(2026, 11, 24)
