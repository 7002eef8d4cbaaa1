"""Paying approved claims through the bank's bulk-transfer file: the file out, the result file in, and only then
the ledger's claim entry, the tax slip number and PAID; a failed line sends the claim back to the member, nothing
posted, and the corrected account is paid by a new payment with a new key."""

from __future__ import annotations

import csv
import io
import subprocess

import pytest
from django.core.management import call_command

from jaminanku.audit.models import AuditEvent
from jaminanku.claims import online
from jaminanku.claims.models import ClaimEvent, Disbursement, DisbursementBatch, JhtClaim
from jaminanku.claims.payouts import apply_result_file, create_batch, sample_result_csv
from jaminanku.claims.slip import tax_slip_pdf
from jaminanku.claims.tests import payout_fixtures
from jaminanku.claims.tests.payout_fixtures import approved_claim
from jaminanku.contributions.models import Account, JhtEntry
from jaminanku.core.errors import DomainError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]
BANK_FILE = DisbursementBatch.Method.BANK_FILE
finance, private_files = payout_fixtures.finance, payout_fixtures.private_files


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _result(batch: DisbursementBatch, **changes: dict[str, str]) -> bytes:
    """The sample result file with some lines changed (by transfer reference)."""
    rows = _rows(sample_result_csv(batch))
    for row in rows:
        row.update(changes.get(row["transfer_reference"], {}))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_a_claim_is_posted_only_when_the_bank_confirms_the_payment(finance, tmp_path, capsys):
    claim = approved_claim()
    account = Account.objects.get(membership=claim.membership)
    batch = create_batch(method=BANK_FILE, actor=finance)
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.PAYING and claim.entry is None
    [line] = _rows(batch.transfer_file.read())
    assert line["transfer_reference"] == f"{claim.reference}-member-1"
    assert line["batch_reference"] == batch.reference and line["bank_code"] == "014"
    assert line["amount"] == str(claim.net) and line["description"] == f"JHT {claim.reference}"
    account.refresh_from_db()
    assert account.balance == claim.gross  # nothing posted while the money is on its way
    with pytest.raises(DomainError):
        tax_slip_pdf(claim)

    settlement = apply_result_file(batch, sample_result_csv(batch), finance)

    assert settlement.claims_paid == 1
    claim.refresh_from_db()
    account.refresh_from_db()
    assert claim.state == JhtClaim.State.PAID and claim.paid_on is not None
    assert claim.entry.kind == JhtEntry.Kind.CLAIM and claim.entry.amount == -claim.gross
    assert account.balance == 0 and claim.tax_slip_number.startswith("BP21F-")
    batch.refresh_from_db()
    assert batch.state == DisbursementBatch.State.SETTLED and batch.result_file
    steps = list(claim.events.values_list("state_from", "state_to", "actor_label"))
    assert steps == [("approved", "paying", finance.username), ("paying", "paid", finance.username)]
    audit = AuditEvent.objects.get(action="claims.paid", object_id=str(claim.pk))
    assert audit.actor == finance and audit.object_type == "claims.JhtClaim" and audit.object_repr == str(claim)
    assert audit.before["state"] == "paying" and audit.before["entry"] is None
    assert audit.after["state"] == "paid" and audit.after["entry"] == claim.entry_id
    assert (
        audit.after["paid_on"] == claim.paid_on.isoformat() and audit.after["tax_slip_number"] == claim.tax_slip_number
    )

    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(tax_slip_pdf(claim))
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert claim.tax_slip_number in text and claim.membership.kpj in text and claim.person.nik in text
    assert claim.paid_on.strftime("%d/%m/%Y") in text and "NPWP" in text

    # the same result file again pays nothing twice
    again = apply_result_file(batch, sample_result_csv(batch), finance)
    assert again.unchanged == 1 and again.paid == 0
    assert JhtEntry.objects.filter(kind=JhtEntry.Kind.CLAIM).count() == 1
    call_command("reconcile_ledger")
    assert "cocok" in capsys.readouterr().out


def test_a_closed_account_sends_the_claim_back_and_the_corrected_one_is_paid_with_a_new_key(finance):
    claim = approved_claim()
    batch = create_batch(method=BANK_FILE, actor=finance)
    key = f"{claim.reference}-member-1"
    apply_result_file(batch, _result(batch, **{key: {"status": "GAGAL", "reason": "REKENING_DITUTUP"}}), finance)

    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.RETURNED and claim.entry is None
    note = ClaimEvent.objects.filter(claim=claim, state_to="returned").get().note
    assert "rekening ditutup" in note
    assert Disbursement.objects.get(idempotency_key=key).status == Disbursement.Status.FAILED
    assert not JhtEntry.objects.filter(kind=JhtEntry.Kind.CLAIM).exists()

    online.correct_account(
        claim=claim, bank_code="008", account_number="1300012345678", account_holder=claim.person.full_name
    )
    second = create_batch(method=BANK_FILE, actor=finance)
    [line] = _rows(second.transfer_file.read())
    assert line["transfer_reference"] == f"{claim.reference}-member-2" and line["account_number"] == "1300012345678"
    apply_result_file(second, sample_result_csv(second), finance)
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.PAID and claim.entry.amount == -claim.gross


def test_a_result_file_with_a_bad_line_changes_nothing_and_names_every_bad_line(finance):
    first, second = approved_claim(), approved_claim()
    batch = create_batch(method=BANK_FILE, actor=finance)
    k1, k2 = f"{first.reference}-member-1", f"{second.reference}-member-1"
    bad = _result(batch, **{k1: {"amount": "1"}, k2: {"status": "MUNGKIN"}})
    bad += f"{batch.reference},ZZZ-member-1,014,1,X,5,JHT ZZZ,BERHASIL,\r\n".encode()
    with pytest.raises(DomainError) as err:
        apply_result_file(batch, bad, finance)
    message = str(err.value.message)
    assert "Baris 2" in message and "Baris 3" in message and "Baris 4" in message and "ZZZ-member-1" in message
    assert set(JhtClaim.objects.values_list("state", flat=True)) == {"paying"}
    assert not Disbursement.objects.filter(status__in=["paid", "failed"]).exists()
    for junk in (b"\xff\xfe\x00", b"just,some,words\r\n1,2,3\r\n", b""):
        with pytest.raises(DomainError):
            apply_result_file(batch, junk, finance)


def test_nothing_to_pay_and_a_claim_not_approved_are_refused(finance):
    with pytest.raises(DomainError) as err:
        create_batch(method=BANK_FILE, actor=finance)
    assert err.value.code == "nothing_to_pay"
    claim = approved_claim()
    JhtClaim.objects.filter(pk=claim.pk).update(state="in_review")
    with pytest.raises(DomainError) as err:
        create_batch(method=BANK_FILE, actor=finance, claims=[claim])
    assert err.value.code == "claim_state"
    with pytest.raises(DomainError) as err:
        create_batch(method="xendit", actor=finance)  # no key configured
    assert err.value.code == "payout_method"


def test_the_member_is_told_by_email_and_sms_at_each_step_and_sees_it_on_the_timeline(finance):
    from jaminanku.accounts.services import create_account_for_demo
    from jaminanku.notify.models import OutboundMessage

    claim = approved_claim()
    create_account_for_demo(
        person=claim.person, email="sri.wahyuni@example.com", phone="+6281299990001", password="Gunung#Merapi2026"
    )
    OutboundMessage.objects.all().delete()
    batch = create_batch(method=BANK_FILE, actor=finance)
    apply_result_file(batch, sample_result_csv(batch), finance)
    claim.refresh_from_db()
    emails = OutboundMessage.objects.filter(channel="email", to="sri.wahyuni@example.com").order_by("pk")
    sms = OutboundMessage.objects.filter(channel="sms", to="+6281299990001").order_by("pk")
    assert [m.subject for m in emails] == [
        f"Klaim JHT {claim.reference}: Sedang dibayar",
        f"Klaim JHT {claim.reference}: Dibayar",
    ]
    assert claim.tax_slip_number in emails[1].body and "telah dibayar" in sms[1].body
    assert claim.events.get(state_to="paid").note.startswith("Dana Rp 1.710.000 telah ditransfer")
