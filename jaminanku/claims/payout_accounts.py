"""The member's bank account for claim payments: kept for the next claim, its holder name scored against the
registry name, and every change told to the member's email and phone and recorded in the audit log, since a
changed account is how a stolen login would divert a claim (decision.py holds back automatic approval after one)."""

from __future__ import annotations

import re
import unicodedata

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from jaminanku.accounts.models import MemberProfile
from jaminanku.audit.services import record_event, snapshot
from jaminanku.claims.banks import bank_name, check_bank, clean_account_number
from jaminanku.claims.models import PayoutAccount
from jaminanku.core.errors import DomainError
from jaminanku.notify.services import queue_email, queue_sms
from jaminanku.registry.models import Person

# The audit action of a change of an existing account: decision.py looks for it.
CHANGED_ACTION = "claims.payout_account_changed"

# Academic and religious titles (gelar) written before or after a name on KTPs and bank books; they say nothing
# about who the holder is. Compared without dots and case: "S.Kom." and "skom" are one title.
_TITLES = frozenset(
    """
    dr drs dra ir prof h hj haji kh ust ustadz r rr raden mas ny nn tn sdr sdri bpk ibu
    sh se st sp spd spdi ssi skom sked skep sag sip sos ssos sth sgz sfarm sikom ssn sds shi ssy sei sak
    mm mh msi mkom mpd mt mba mag mkes mkn mph msc phd amd amdkeb amdkep amk ama apt skm dipl
    """.split()  # noqa: SIM905  # one word per title, grouped as people write them
)
_NOT_LETTERS = re.compile(r"[^a-z\s]")


def normalise_name(name: str) -> str:
    """Lower case, no accents, no titles; what follows the first comma is titles ("Budi Santoso, S.Kom., M.M.")."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = text.split(",", 1)[0]
    words = [w.replace(".", "") for w in re.split(r"\s+", text) if w]
    # "S.Kom" written without a space before the next name part still splits on the dot's word only
    kept = [w for w in (_NOT_LETTERS.sub("", w) for w in words) if w and w not in _TITLES]
    return " ".join(kept)


def holder_name_score(a: str, b: str) -> int:
    """0-100: how alike two names are, whatever their order, case, accents and titles (rapidfuzz's
    token_sort_ratio, which also forgives a letter or two: "Muhamad Rizky" and "Muhammad Rizki" score 89)."""
    left, right = normalise_name(a), normalise_name(b)
    if not left or not right:
        return 0
    return round(fuzz.token_sort_ratio(left, right))


def _masked(number: str) -> str:
    return f"****{number[-4:]}"


def _tell_member(person: Person, account: PayoutAccount) -> None:
    profile = MemberProfile.objects.filter(person=person).only("email", "phone").first()
    if profile is None:
        return
    with translation.override("id"):
        details = {"bank": bank_name(account.bank_code), "number": _masked(account.account_number)}
        subject = _("Rekening pembayaran klaim JHT Anda diubah")
        body = (
            _(
                "Rekening untuk pembayaran klaim JHT Anda telah diubah menjadi %(bank)s %(number)s. "
                "Jika Anda tidak melakukan perubahan ini, segera hubungi kantor cabang atau call center 175."
            )
            % details
        )
        sms = _("JaminanKu: rekening pembayaran klaim JHT diubah ke %(bank)s %(number)s. Bukan Anda? Hubungi 175.")
    queue_email(to=profile.email, subject=subject, body=body)
    queue_sms(to=profile.phone, body=sms % details)


def set_payout_account(*, person: Person, bank_code: str, account_number: str, account_holder: str) -> PayoutAccount:
    """Sets or changes the member's payout account. The same account again changes nothing (no notice, and the
    waiting time after a change does not start again)."""
    bank_code = check_bank(bank_code)
    account_number = clean_account_number(account_number)
    # control characters (NUL above all, which PostgreSQL refuses) are no part of a name
    account_holder = " ".join("".join(c for c in account_holder or "" if c.isprintable()).split())[:120]
    if not account_holder:
        raise DomainError(
            _("Isi nama pemilik rekening sesuai buku tabungan."), code="account_holder", field="account_holder"
        )
    score = holder_name_score(account_holder, person.full_name)
    now = timezone.now()
    with transaction.atomic():
        # The person's row is the lock: with no account yet there is no account row to lock, and two taps of the
        # form's button would both create one (the second failing on the one-account-per-person key).
        Person.objects.select_for_update().filter(pk=person.pk).exists()
        account = PayoutAccount.objects.select_for_update().filter(person=person).first()
        if account is None:
            account = PayoutAccount.objects.create(
                person=person,
                bank_code=bank_code,
                account_number=account_number,
                account_holder=account_holder,
                holder_name_score=score,
                changed_at=now,
            )
            record_event("claims.payout_account_set", instance=account, before={}, after=snapshot(account))
            return account
        if (account.bank_code, account.account_number, account.account_holder) == (
            bank_code,
            account_number,
            account_holder,
        ):
            return account
        before = snapshot(account)
        account.bank_code, account.account_number, account.account_holder = bank_code, account_number, account_holder
        account.holder_name_score, account.changed_at = score, now
        account.save()
        record_event(CHANGED_ACTION, instance=account, before=before, after=snapshot(account))
        _tell_member(person, account)
    return account
