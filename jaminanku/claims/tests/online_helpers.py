"""Builders for the online-claim tests: a member with an account who may claim now (within or above the online
threshold), real JPEG/PNG/PDF bytes for uploads, and a claim taken to the point a test needs."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from reportlab.pdfgen import canvas

from jaminanku.accounts.services import create_account_for_demo
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD
from jaminanku.claims import online
from jaminanku.claims.models import ClaimDocument, JhtClaim
from jaminanku.claims.payout_accounts import set_payout_account
from jaminanku.contributions.periods import add_months
from jaminanku.contributions.tests.helpers import resigned_member
from jaminanku.registry.models import Membership, Person

_serial = iter(range(100, 100_000))


@pytest.fixture
def claim_files(tmp_path, monkeypatch) -> FileSystemStorage:
    """Claim documents stored in the test's own directory (the field keeps its storage object, so it is swapped)."""
    storage = FileSystemStorage(location=tmp_path / "claims")
    monkeypatch.setattr(ClaimDocument._meta.get_field("file"), "storage", storage)
    return storage


@dataclass
class Claimant:
    person: Person
    membership: Membership
    user: User
    email: str
    phone: str
    password: str = GOOD_PASSWORD


def claimant(*, months: int = 6, wage: int = 5_000_000, ended_days_ago: int = 90) -> Claimant:
    """A PU member who worked `months` months on `wage` and resigned `ended_days_ago` days ago, with an account.
    6 months on Rp5,000,000 is a JHT of Rp1,710,000 (within the online threshold); 20 on Rp15,000,000 is
    Rp17,100,000 (above it)."""
    n = next(_serial)
    last = timezone.localdate() - timedelta(days=ended_days_ago)
    first = add_months(last.replace(day=1), -(months - 1))
    membership = resigned_member(first=first, last=last, wage=wage)
    email, phone = f"peserta{n}@example.com", f"+62812{n:08d}"
    user = create_account_for_demo(person=membership.person, email=email, phone=phone, password=GOOD_PASSWORD)
    return Claimant(membership.person, membership, user, email, phone)


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (10, 120, 30, 255)).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes(text: str = "Surat keterangan") -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def ready_draft(who: Claimant, *, holder: str | None = None) -> JhtClaim:
    """A draft full claim with every document it needs and the member's payout account set."""
    claim = online.start_claim(person=who.person, membership=who.membership, kind="full")
    for kind in online.missing_documents(claim):
        online.add_document(claim=claim, kind=kind, upload=upload(f"{kind}.jpg", jpeg_bytes(), "image/jpeg"))
    set_payout_account(
        person=who.person,
        bank_code="002",
        account_number="0123456789012",
        account_holder=holder if holder is not None else who.person.full_name.upper(),
    )
    return claim
