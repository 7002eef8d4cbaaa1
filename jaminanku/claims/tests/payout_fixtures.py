"""Builders for the payment tests: an APPROVED claim straight in the database (a resigned member with a real
ledger balance, the claim's gross the whole balance), a death claim with heirs, the finance officer who pays,
and the claims storage swapped into the test's own directory."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.storage import FileSystemStorage

from jaminanku.claims.eligibility import jht_tax
from jaminanku.claims.models import ClaimHeir, DisbursementBatch, JhtClaim
from jaminanku.claims.references import new_reference
from jaminanku.contributions.models import Account
from jaminanku.contributions.tests.helpers import resigned_member

_serial = iter(range(1, 1_000_000))


@pytest.fixture
def private_files(tmp_path: Any, monkeypatch: Any) -> FileSystemStorage:
    """The claims storage in the test's own directory (the fields keep their storage object, so it is swapped)."""
    storage = FileSystemStorage(location=tmp_path / "claims")
    for name in ("transfer_file", "result_file"):
        monkeypatch.setattr(DisbursementBatch._meta.get_field(name), "storage", storage)
    return storage


@pytest.fixture
def finance(django_user_model: Any) -> User:
    name = f"keuangan{next(_serial)}"
    user = django_user_model.objects.create_user(name, password="a-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Keuangan"))
    return user


def approved_claim(
    *, wage: int = 5_000_000, last: date = date(2026, 6, 30), months: int = 6, ground: str = "resignation"
) -> JhtClaim:
    """A full claim of the member's whole JHT balance, approved and waiting for payment, to BCA."""
    first = date(last.year, last.month, 1)
    for _ in range(months - 1):
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    membership = resigned_member(first=first, last=last, wage=wage)
    gross = Account.objects.get(membership=membership).balance
    person = membership.person
    return JhtClaim.objects.create(
        reference=new_reference(),
        person=person,
        membership=membership,
        kind=JhtClaim.Kind.FULL,
        ground=ground,
        channel=JhtClaim.Channel.ONLINE,
        state=JhtClaim.State.APPROVED,
        gross=gross,
        tax=jht_tax(gross),
        bank_code="014",
        account_number=f"88{next(_serial):08d}",
        account_holder=person.full_name,
    )


def death_claim(shares: tuple[str, ...] = ("50", "50")) -> JhtClaim:
    claim = approved_claim(ground="death")
    JhtClaim.objects.filter(pk=claim.pk).update(bank_code="", account_number="", account_holder="")
    for n, share in enumerate(shares):
        ClaimHeir.objects.create(
            claim=claim,
            nik=f"32010141018{n:05d}",
            name=f"Ahli Waris {n + 1}",
            relation=ClaimHeir.Relation.CHILD,
            share_percent=Decimal(share),
            bank_code="008",
            account_number=f"77{next(_serial):08d}",
            account_holder=f"Ahli Waris {n + 1}",
        )
    claim.refresh_from_db()
    return claim
