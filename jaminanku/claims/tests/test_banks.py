"""Banks and the member's payout account: BI and Xendit codes, account numbers, holder names scored against the
registry name whatever the titles, case or order, and a change told to the member's email and phone."""

from __future__ import annotations

import pytest

from jaminanku.audit.models import AuditEvent
from jaminanku.claims.banks import BANKS, bank_name, clean_account_number, is_known_bank, xendit_code
from jaminanku.claims.payout_accounts import CHANGED_ACTION, holder_name_score, set_payout_account
from jaminanku.claims.tests.online_helpers import claimant
from jaminanku.core.errors import DomainError
from jaminanku.notify.models import OutboundMessage


def test_bank_codes():
    assert len({b.code for b in BANKS}) == len(BANKS) and all(len(b.code) == 3 and b.code.isdigit() for b in BANKS)
    assert all(b.xendit_code.startswith("ID_") for b in BANKS)
    assert (bank_name("002"), xendit_code("002")) == ("Bank Rakyat Indonesia (BRI)", "ID_BRI")
    assert (xendit_code("014"), xendit_code("451"), xendit_code("008")) == ("ID_BCA", "ID_BSI", "ID_MANDIRI")
    assert is_known_bank("542") and not is_known_bank("999") and bank_name("999") == "999"


@pytest.mark.parametrize("typed", ["1234567890", "123 456 7890", "123-456.7890"])
def test_account_number_cleaned(typed):
    assert clean_account_number(typed) == "1234567890"


@pytest.mark.parametrize("typed", ["1234", "1" * 21, "12345abc", "", "١٢٣٤٥٦"])
def test_account_number_refused(typed):
    with pytest.raises(DomainError) as err:
        clean_account_number(typed)
    assert err.value.code == "account_number"


@pytest.mark.parametrize(
    ("holder", "registry", "at_least", "below"),
    [
        ("BUDI SANTOSO", "Budi Santoso", 100, None),
        ("Budi Santoso, S.Kom., M.M.", "Budi Santoso", 100, None),
        ("Dr. Ir. Hj. Siti Aminah", "SITI AMINAH S.E.", 100, None),
        ("Santoso Budi", "Budi Santoso", 100, None),
        ("Muhamad Rizky", "Muhammad Rizki", 88, None),
        ("Muhammad Rizal", "Muhammad Rizki", None, 90),
        ("Budi Hartono", "Budi Santoso", None, 90),
        ("S.Kom", "Budi Santoso", None, 1),
    ],
)
def test_holder_name_score(holder, registry, at_least, below):
    score = holder_name_score(holder, registry)
    assert at_least is None or score >= at_least
    assert below is None or score < below


@pytest.mark.django_db
def test_a_change_of_account_is_told_and_recorded_the_first_one_and_a_repeat_are_not():
    who = claimant()
    first = set_payout_account(
        person=who.person, bank_code="002", account_number="0011223344", account_holder=who.person.full_name
    )
    assert first.holder_name_score == 100
    assert not OutboundMessage.objects.filter(body__contains="rekening pembayaran").exists()
    set_payout_account(
        person=who.person, bank_code="002", account_number="0011 2233 44", account_holder=who.person.full_name
    )
    assert not AuditEvent.objects.filter(action=CHANGED_ACTION).exists()
    changed = set_payout_account(
        person=who.person, bank_code="014", account_number="9988776655", account_holder="Orang Lain"
    )
    assert changed.holder_name_score < 90 and changed.changed_at > first.changed_at
    email = OutboundMessage.objects.get(to=who.email, subject__contains="Rekening pembayaran")
    assert "****6655" in email.body and "9988776655" not in email.body
    assert OutboundMessage.objects.filter(to=who.phone, body__contains="****6655").count() == 1
    event = AuditEvent.objects.get(action=CHANGED_ACTION)
    assert event.before["account_number"] == "0011223344" and event.after["account_number"] == "9988776655"


@pytest.mark.django_db
def test_unknown_bank_and_empty_holder_are_refused():
    who = claimant()
    with pytest.raises(DomainError) as err:
        set_payout_account(person=who.person, bank_code="999", account_number="12345678", account_holder="Budi")
    assert err.value.code == "unknown_bank"
    with pytest.raises(DomainError) as err:
        set_payout_account(person=who.person, bank_code="002", account_number="12345678", account_holder="   ")
    assert err.value.code == "account_holder"


@pytest.mark.django_db
def test_control_characters_are_no_part_of_a_holder_name():
    who = claimant()
    account = set_payout_account(
        person=who.person, bank_code="002", account_number="12345678", account_holder="Budi\x00 Santoso\n"
    )
    assert account.account_holder == "Budi Santoso"
