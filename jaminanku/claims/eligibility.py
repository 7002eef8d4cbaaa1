"""JHT claim eligibility as RULES.md ("JHT claims") states it, as a pure function of the facts about one membership.

Written by hand because it is the agency's own rule set (Permenaker 4/2022, FACTS.md §6.1):

- Full claim (100 %), one option whose ground is the best that holds:
  - death (paid to the heirs) from the day of death, at a branch only: the member cannot claim for themselves;
  - age ≥ 56, even while still working, online or at a branch;
  - reaching the employer's own pension age (end reason "retirement"): at once, online or at a branch;
  - permanent total disability and leaving Indonesia for good: at once, at a branch only (documents checked there);
  - resignation, dismissal, end of contract: after a 1-month waiting period from the employment end date, with the
    membership non-active; online or at a branch;
  - a BPU/PMI member who stopped (ground "stopped"): 1 month after the membership became non-active.
  An end reason the rules do not know is sent to a branch (reason code "branch_only_reason").
- Partial claim, once per person, after 10 years of membership, may be while still working, offered while no full
  claim is possible: 10 % (ground "preparation") or 30 % (ground "housing"), online or at a branch. A partial claim
  counts as taken from submission on (it is on its way), not only once paid.
- Tax: final PPh 21 of 0 % up to Rp50,000,000 and 5 % on the part above.

The same answer gates JHT-claim queue bookings and starts claims online and at the counter.
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

ONLINE = "online"
BRANCH = "branch"
ANY_CHANNEL = (ONLINE, BRANCH)
BRANCH_ONLY = (BRANCH,)

# End reasons (registry Employment.EndReason) that pay out once the waiting month has passed, non-active.
CLAIMABLE_END_REASONS = {"resignation", "dismissal", "end_of_contract"}
# End reasons that pay out at once, from the end date, with the channels they may be claimed through.
IMMEDIATE_END_REASONS: dict[str, tuple[str, ...]] = {
    "death": BRANCH_ONLY,
    "retirement": ANY_CHANNEL,
    "disability": BRANCH_ONLY,
    "emigration": BRANCH_ONLY,
}
BRANCH_ONLY_GROUNDS = {ground for ground, channels in IMMEDIATE_END_REASONS.items() if channels == BRANCH_ONLY}
PARTIAL_GROUNDS = {"partial_10": "preparation", "partial_30": "housing"}


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
    partial_claimed_on: date | None = None  # the person's one partial claim (paid or on its way), if any
    partial_claim_paid: bool = True  # False while that partial claim is submitted but not yet paid


@dataclass(frozen=True)
class ClaimOption:
    kind: str  # JhtClaim.Kind: "full", "partial_10", "partial_30"
    percent: int
    gross: int
    tax: int
    ground: str = ""  # JhtClaim.Ground: why it may be paid; decides the documents asked for
    channels: tuple[str, ...] = ANY_CHANNEL  # "online" and/or "branch"

    @property
    def net(self) -> int:
        return self.gross - self.tax

    @property
    def online(self) -> bool:
        return ONLINE in self.channels


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

    def option(self, kind: str) -> ClaimOption | None:
        return next((o for o in self.options if o.kind == kind), None)


@dataclass(frozen=True)
class _Opening:
    """One way to a full claim: its ground, the day it opens and the channels it may be claimed through."""

    ground: str
    opens: date
    channels: tuple[str, ...] = ANY_CHANNEL


def _option(kind: str, percent: int, balance: int, *, ground: str, channels: tuple[str, ...]) -> ClaimOption:
    gross = balance * percent // 100
    return ClaimOption(kind=kind, percent=percent, gross=gross, tax=jht_tax(gross), ground=ground, channels=channels)


def _d(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def assess(facts: ClaimFacts) -> Eligibility:
    answer = Eligibility(can_claim=False)
    if facts.balance <= 0:
        answer.reasons.append(str(_("Saldo JHT kosong.")))
        answer.reason_codes.append("no_balance")
        return answer
    openings = _openings(facts, answer)
    open_now = [o for o in openings if o.opens <= facts.today]
    answer.full_claim_from = min((o.opens for o in openings), default=None)
    if open_now:
        best = open_now[0]  # _openings lists them best first
        answer.can_claim = True
        answer.options.append(_option("full", 100, facts.balance, ground=best.ground, channels=best.channels))
        answer.reasons.clear()
        answer.reason_codes.clear()
        return answer
    _partial(facts, answer)
    answer.can_claim = bool(answer.options)
    return answer


def _openings(facts: ClaimFacts, answer: Eligibility) -> list[_Opening]:
    """Every ground for a full claim with the day it opens, best first (death, age, retirement, other end
    reasons): death goes first because the member can no longer claim for themselves, whatever their age."""
    age = _Opening("age", facts.date_of_birth + relativedelta(years=FULL_CLAIM_AGE))
    ending = _end_opening(facts, answer)
    if ending is not None and ending.ground == "death":
        return [ending, age]
    return [age] + ([ending] if ending is not None else [])


def _end_opening(facts: ClaimFacts, answer: Eligibility) -> _Opening | None:
    """The full claim the end of work opens for a member under 56 (None if not foreseeable); notes why not yet."""
    if facts.segment == "PU" and facts.employment_end is not None and facts.end_reason in IMMEDIATE_END_REASONS:
        # Retirement, death, disability and emigration do not wait a month nor for the status to turn non-active.
        return _Opening(facts.end_reason, facts.employment_end, IMMEDIATE_END_REASONS[facts.end_reason])
    if facts.active:
        answer.reasons.append(str(_("Kepesertaan masih aktif (masih aktif bekerja).")))
        answer.reason_codes.append("still_active")
        return None
    if facts.segment == "PU":
        if facts.employment_end is None:
            answer.reasons.append(str(_("Belum ada tanggal berhenti bekerja yang tercatat.")))
            answer.reason_codes.append("no_end_date")
            return None
        if facts.end_reason not in CLAIMABLE_END_REASONS:
            answer.reasons.append(str(_("Klaim untuk alasan berhenti ini diajukan melalui kantor cabang.")))
            answer.reason_codes.append("branch_only_reason")
            return None
        ground, opens = facts.end_reason, facts.employment_end + WAITING_PERIOD
    else:
        if facts.lapsed_on is None:
            return None
        ground, opens = "stopped", facts.lapsed_on + WAITING_PERIOD
    if opens > facts.today:
        answer.reasons.append(str(_("Masa tunggu 1 bulan sampai %(day)s.") % {"day": _d(opens)}))
        answer.reason_codes.append("waiting_period")
    return _Opening(ground, opens)


def _partial(facts: ClaimFacts, answer: Eligibility) -> None:
    if facts.partial_claimed_on is not None:
        day = {"day": _d(facts.partial_claimed_on)}
        if facts.partial_claim_paid:
            answer.reasons.append(str(_("Klaim sebagian sudah pernah diambil pada %(day)s.") % day))
        else:
            answer.reasons.append(str(_("Klaim sebagian sudah diajukan pada %(day)s dan sedang diproses.") % day))
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
    for kind, percent in (("partial_10", 10), ("partial_30", 30)):
        answer.options.append(_option(kind, percent, facts.balance, ground=PARTIAL_GROUNDS[kind], channels=ANY_CHANNEL))


def describe(option: ClaimOption) -> str:
    text = str(
        _("%(percent)s%%: %(gross)s, pajak %(tax)s, diterima %(net)s")
        % {
            "percent": option.percent,
            "gross": format_rupiah(option.gross),
            "tax": format_rupiah(option.tax),
            "net": format_rupiah(option.net),
        }
    )
    if not option.online:
        text += " " + str(_("(diajukan di kantor cabang)"))
    return text
