"""JHT claim eligibility as RULES.md states it, as a pure function of the facts about one membership.

Written by hand because it is the agency's own rule set (Permenaker 4/2022): full claim at 56, or after
resignation / dismissal / end of contract once a 1-month waiting period from the employment end date has passed
and the membership is non-active; partial claim (10 % or 30 %) once per person after 10 years of membership;
final PPh 21 of 0 % up to Rp50,000,000 and 5 % above. The same answer gates JHT-claim queue bookings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from jaminanku.core.money import format_rupiah

FULL_CLAIM_AGE = 56
PARTIAL_CLAIM_YEARS = 10
TAX_FREE_LIMIT = 50_000_000
TAX_RATE_PERCENT = 5
WAITING_PERIOD = relativedelta(months=1)
CLAIMABLE_END_REASONS = {"resignation", "dismissal", "end_of_contract"}
STAFF_ONLY_END_REASONS = {"death", "retirement"}


def jht_tax(gross: int) -> int:
    """Final PPh 21 on a JHT paid at once: 0 % on the gross up to Rp50,000,000, 5 % on the part above."""
    taxable = max(0, gross - TAX_FREE_LIMIT)
    return (taxable * TAX_RATE_PERCENT + 50) // 100


@dataclass(frozen=True)
class ClaimFacts:
    """What the rules need to know about one membership (KPJ) and its person."""

    today: date
    date_of_birth: date
    segment: str
    balance: int
    active: bool  # the membership's JHT status now
    employment_end: date | None = None  # PU: end of the latest employment
    end_reason: str = ""
    lapsed_on: date | None = None  # BPU/PMI: first day non-active
    member_since: date | None = None  # first registration of the person (any KPJ)
    partial_claimed_on: date | None = None  # the person's one partial claim, if any


@dataclass(frozen=True)
class ClaimOption:
    kind: str  # "full", "partial_10", "partial_30"
    percent: int
    gross: int
    tax: int

    @property
    def net(self) -> int:
        return self.gross - self.tax


@dataclass
class Eligibility:
    can_claim: bool
    options: list[ClaimOption] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # why not (yet), in plain words
    reason_codes: list[str] = field(default_factory=list)
    full_claim_from: date | None = None  # when a full claim becomes possible, if known

    @property
    def full(self) -> ClaimOption | None:
        return next((o for o in self.options if o.kind == "full"), None)


def _option(kind: str, percent: int, balance: int) -> ClaimOption:
    gross = balance * percent // 100
    return ClaimOption(kind=kind, percent=percent, gross=gross, tax=jht_tax(gross))


def _d(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def assess(facts: ClaimFacts) -> Eligibility:
    answer = Eligibility(can_claim=False)
    if facts.balance <= 0:
        answer.reasons.append(str(_("Saldo JHT kosong.")))
        answer.reason_codes.append("no_balance")
        return answer
    age_56_on = facts.date_of_birth + relativedelta(years=FULL_CLAIM_AGE)
    full_from = _full_claim_date(facts, answer)
    if age_56_on <= facts.today or (full_from is not None and full_from <= facts.today):
        answer.can_claim = True
        answer.options.append(_option("full", 100, facts.balance))
        answer.full_claim_from = min(d for d in (age_56_on, full_from) if d is not None)
        answer.reasons.clear()
        answer.reason_codes.clear()
        return answer
    answer.full_claim_from = min(d for d in (age_56_on, full_from) if d is not None)
    _partial(facts, answer)
    answer.can_claim = bool(answer.options)
    return answer


def _full_claim_date(facts: ClaimFacts, answer: Eligibility) -> date | None:
    """The day a full claim opens for a member under 56 (None if not foreseeable); notes why not yet."""
    if facts.active:
        answer.reasons.append(str(_("Kepesertaan masih aktif (masih aktif bekerja).")))
        answer.reason_codes.append("still_active")
        return None
    if facts.segment == "PU":
        if facts.employment_end is None:
            answer.reasons.append(str(_("Belum ada tanggal berhenti bekerja yang tercatat.")))
            answer.reason_codes.append("no_end_date")
            return None
        if facts.end_reason in STAFF_ONLY_END_REASONS or facts.end_reason not in CLAIMABLE_END_REASONS:
            answer.reasons.append(str(_("Klaim untuk alasan berhenti ini diajukan melalui kantor cabang.")))
            answer.reason_codes.append("branch_only_reason")
            return None
        opens = facts.employment_end + WAITING_PERIOD
    else:
        if facts.lapsed_on is None:
            return None
        opens = facts.lapsed_on + WAITING_PERIOD
    if opens > facts.today:
        answer.reasons.append(str(_("Masa tunggu 1 bulan sampai %(day)s.") % {"day": _d(opens)}))
        answer.reason_codes.append("waiting_period")
    return opens


def _partial(facts: ClaimFacts, answer: Eligibility) -> None:
    if facts.partial_claimed_on is not None:
        answer.reasons.append(
            str(_("Klaim sebagian sudah pernah diambil pada %(day)s.") % {"day": _d(facts.partial_claimed_on)})
        )
        answer.reason_codes.append("partial_already_claimed")
        return
    if facts.member_since is None:
        return
    ten_years = facts.member_since + relativedelta(years=PARTIAL_CLAIM_YEARS)
    if ten_years > facts.today:
        answer.reasons.append(
            str(
                _("Klaim sebagian (10%% atau 30%%) dapat diajukan setelah 10 tahun kepesertaan, mulai %(day)s.")
                % {"day": _d(ten_years)}
            )
        )
        answer.reason_codes.append("partial_needs_10_years")
        return
    answer.options.append(_option("partial_10", 10, facts.balance))
    answer.options.append(_option("partial_30", 30, facts.balance))


def describe(option: ClaimOption) -> str:
    return str(
        _("%(percent)s%%: %(gross)s, pajak %(tax)s, diterima %(net)s")
        % {
            "percent": option.percent,
            "gross": format_rupiah(option.gross),
            "tax": format_rupiah(option.tax),
            "net": format_rupiah(option.net),
        }
    )
