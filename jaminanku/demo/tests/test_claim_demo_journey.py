"""`make run`'s claim story, with nothing but what prepare_demo prints and the pages: the member above the four-eyes
threshold claims online (documents, account, declaration) and is sent to review with the reasons; the printed
branch officer finds the claim on the desk, not overdue, and approves it, which leaves it for the supervisor; the
printed supervisor approves it and pays it by the bank file out and the sample result file in; the ledger then
reconciles, the member's balance shows the claim and the withholding slip is a real PDF with its number and the
tax. The member within the online threshold is approved by the system at submission and paid the same way; the next
`make run` then prints both as having claimed."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from jaminanku.claims.models import JhtClaim
from jaminanku.claims.tests import payout_fixtures
from jaminanku.claims.tests.journey_steps import (
    claim_online,
    desk_decides,
    member_login,
    page_text,
    pay_by_bank_file,
    staff_login,
    transfer_line_of,
)
from jaminanku.claims.tests.online_helpers import claim_files  # noqa: F401 - a fixture
from jaminanku.contributions.models import JhtEntry
from jaminanku.core.money import format_rupiah

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.usefixtures("claim_files", "private_files")]
private_files = payout_fixtures.private_files
PERSONS = 20  # the small demo the other prepare_demo tests load


def _login_below(printed: str, heading: str, key: str) -> tuple[str, str]:
    """The `key` (email or username) and password printed on the line below the heading starting `heading`."""
    lines = printed.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(heading))
    found = re.fullmatch(rf"\s*{key}: (\S+)\s+password: (\S+)\s*", lines[at + 1])
    assert found, lines[at + 1]
    return found.group(1), found.group(2)


def _kpj_below(printed: str, heading: str) -> str:
    lines = printed.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(heading))
    found = re.search(r"KPJ (\d{11}): gross", lines[at + 2])
    assert found, lines[at + 2]
    return found.group(1)


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install poppler-utils (scripts/system-deps)")
    path = tmp_path / "bukti-potong.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _paid_and_shown(member: Client, claim: JhtClaim, tmp_path: Path) -> None:
    """After payment: the tracking page says paid, the balance page shows the claim's entry, the slip is the PDF."""
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.PAID and claim.entry_id is not None and claim.tax_slip_number
    track = member.get(f"/klaim-jht/{claim.reference}/").content.decode()
    assert 'data-testid="claim-state">Dibayar<' in track and f"/klaim-jht/{claim.reference}/bukti-potong.pdf" in track
    balance = member.get(f"/saldo/{claim.membership.kpj}/")
    assert balance.status_code == 200
    assert f"Klaim JHT {claim.reference} {format_rupiah(-claim.gross)}" in page_text(balance)
    assert JhtEntry.objects.filter(pk=claim.entry_id, kind="claim", amount=-claim.gross).exists()
    slip = member.get(f"/klaim-jht/{claim.reference}/bukti-potong.pdf")
    assert slip.status_code == 200 and slip["Content-Type"] == "application/pdf"
    text = _pdf_text(b"".join(slip), tmp_path)
    assert claim.tax_slip_number in text and format_rupiah(claim.tax) in text and claim.membership.kpj in text


def _user_id(username: str) -> int:
    return User.objects.get(username=username).pk


def _reconciled() -> str:
    out = StringIO()
    call_command("reconcile_ledger", stdout=out)  # a difference is a CommandError (exit status 1)
    assert "Semua rekening JHT cocok" in out.getvalue() and "tepat satu mutasi klaim" in out.getvalue()
    return out.getvalue()


def test_the_printed_logins_take_claims_from_online_submission_to_paid_and_reconciled(
    settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("prepare_demo", persons=PERSONS, stdout=out)
    printed = out.getvalue()
    above_heading = "Member who may claim JHT online, above"
    within_heading = "Member who may claim JHT online, within"
    officer_login = _login_below(printed, "Branch officer", "username")
    supervisor_login = _login_below(printed, "Supervisor", "username")

    # the member above the four-eyes threshold claims online, and the claim goes to review with its reasons
    member = Client()
    email, password = _login_below(printed, above_heading, "email")
    member_login(member, email, password)
    person = User.objects.get(username=email).member_profile.person
    kpj = _kpj_below(printed, above_heading)
    reference = claim_online(member, kpj, holder=person.full_name.upper())
    claim = JhtClaim.objects.get(reference=reference)
    assert claim.state == JhtClaim.State.IN_REVIEW and claim.gross > settings.CLAIMS_FOUR_EYES_THRESHOLD
    track = page_text(member.get(f"/klaim-jht/{reference}/"))
    assert reference in track and "Mengapa diperiksa petugas" in track
    assert "di atas batas klaim online" in track

    # the printed officer: on the desk, not overdue; the approval leaves it for the supervisor
    officer = Client()
    staff_login(officer, *officer_login)
    desk = officer.get("/staf/klaim/")
    assert desk.status_code == 200
    row = re.search(rf'<tr data-reference="{reference}"( class="overdue")?>', desk.content.decode())
    assert row is not None and row.group(1) is None  # listed, and not flagged overdue
    assert [r.overdue for r in desk.context["rows"] if r.claim.reference == reference] == [False]
    page = desk_decides(officer, reference, "setujui", note="Dokumen lengkap.")
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.IN_REVIEW and claim.approved_by_id == _user_id(officer_login[0])
    assert claim.second_approved_by is None and "supervisor lain harus menyetujui" in page

    # the printed supervisor gives the second approval, then pays it through the bank file
    supervisor = Client()
    staff_login(supervisor, *supervisor_login)
    assert "Setujui sebagai supervisor" in supervisor.get(f"/staf/klaim/{reference}/").content.decode()
    desk_decides(supervisor, reference, "setujui")
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.APPROVED and claim.second_approved_by_id == _user_id(supervisor_login[0])
    assert "/staf/pembayaran-klaim/" in supervisor.get("/staf/").content.decode()  # the dashboard leads there
    batch = pay_by_bank_file(supervisor)
    line = transfer_line_of(batch, reference)
    assert (line["bank_code"], line["account_number"], line["account_holder"]) == (
        "014",
        "0123456789012",
        claim.account_holder,
    ) and claim.account_holder == person.full_name.upper()
    assert line["amount"] == str(claim.gross - claim.tax) and claim.tax > 0
    assert "klaim dibayar" in batch.applied
    _paid_and_shown(member, claim, tmp_path)
    _reconciled()

    # the member within the online threshold: approved by the system at submission, then paid the same way
    within = Client()
    email, password = _login_below(printed, within_heading, "email")
    member_login(within, email, password)
    person = User.objects.get(username=email).member_profile.person
    reference = claim_online(within, _kpj_below(printed, within_heading), holder=person.full_name)
    claim = JhtClaim.objects.get(reference=reference)
    assert claim.state == JhtClaim.State.APPROVED and claim.gross <= settings.CLAIMS_ONLINE_THRESHOLD
    assert claim.auto_decision["approved"] is True and claim.approved_by is None
    assert "Disetujui otomatis" in page_text(within.get(f"/klaim-jht/{reference}/"))
    batch = pay_by_bank_file(supervisor)
    line = transfer_line_of(batch, reference)
    assert line["account_number"] == "0123456789012" and line["amount"] == str(claim.gross - claim.tax)
    _paid_and_shown(within, claim, tmp_path)
    _reconciled()

    # the next `make run` on this database tells that both have claimed, and their logins still work
    again = StringIO()
    call_command("prepare_demo", persons=PERSONS, stdout=again)
    lines = again.getvalue().splitlines()
    for heading in (above_heading, within_heading):
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(heading))
        assert lines[at + 2].strip().endswith("claimed already"), lines[at + 2]
    assert _login_below(again.getvalue(), within_heading, "email") == (email, password)
