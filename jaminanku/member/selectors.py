"""What a member reads: every KPJ of a person with its JHT balance, breakdown and status, the per-year
breakdown, and the balance statement (Rincian Saldo). The web pages, the PDF and the API all call these.

The overview reads the running totals kept on each Account, so its cost depends on how many KPJs a person
holds, never on the length of their history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.contributions.models import Account, ArchivedYearTotal, Contribution, JhtEntry
from jaminanku.contributions.selectors import MembershipStatus, membership_status
from jaminanku.registry.models import Membership, Person


@dataclass(frozen=True)
class KpjSummary:
    membership: Membership
    balance: int
    employer_total: int
    worker_total: int
    development_total: int
    claims_total: int
    last_period: date | None
    last_employer: str
    status: MembershipStatus


@dataclass(frozen=True)
class MemberOverview:
    person: Person
    kpjs: list[KpjSummary]
    as_of: date  # the day the statuses were computed for

    @property
    def total_balance(self) -> int:
        return sum(k.balance for k in self.kpjs)

    @property
    def employer_total(self) -> int:
        return sum(k.employer_total for k in self.kpjs)

    @property
    def worker_total(self) -> int:
        return sum(k.worker_total for k in self.kpjs)

    @property
    def development_total(self) -> int:
        return sum(k.development_total for k in self.kpjs)

    @property
    def claims_total(self) -> int:
        return sum(k.claims_total for k in self.kpjs)

    @property
    def latest(self) -> KpjSummary | None:
        paid = [k for k in self.kpjs if k.last_period]
        return max(paid, key=lambda k: k.last_period) if paid else None  # type: ignore[arg-type, return-value]


def member_overview(person: Person, *, today: date | None = None) -> MemberOverview:
    today = today or timezone.localdate()
    memberships = list(
        Membership.objects.filter(person=person)
        .select_related("jht_account", "jht_account__last_employer")
        .order_by("-registered_on", "kpj")
    )
    kpjs = []
    for membership in memberships:
        membership.person = person  # the status reads it; the caller has it already, so no join for it
        account: Account | None = getattr(membership, "jht_account", None)
        kpjs.append(
            KpjSummary(
                membership=membership,
                balance=account.balance if account else 0,
                employer_total=account.employer_total if account else 0,
                worker_total=account.worker_total if account else 0,
                development_total=account.development_total if account else 0,
                claims_total=account.claims_total if account else 0,
                last_period=account.last_paid_period if account else None,
                last_employer=account.last_employer.name if account and account.last_employer else "",
                status=membership_status(membership, today=today),
            )
        )
    return MemberOverview(person=person, kpjs=kpjs, as_of=today)


@dataclass(frozen=True)
class BalanceParts:
    """What a JHT balance (or a year's change of it) is made of. Claims are negative, so `net` is the sum of
    the four parts: every table that shows the parts shows the claims too, or its figures would not add up."""

    employer: int
    worker: int
    development: int
    claims: int

    @property
    def net(self) -> int:
        return self.employer + self.worker + self.development + self.claims


@dataclass(frozen=True)
class YearBreakdown:
    # One calendar year of a KPJ's JHT: its parts and `net`, their sum as BalanceParts works it out, in the order
    # the balance page and GET /api/v1/me/kpj/{kpj}/years show them (the API returns this record as it is, so
    # `net` is a field, and this is a comment: a docstring would become the schema's description).
    year: int
    employer: int
    worker: int
    development: int
    claims: int
    net: int

    @classmethod
    def of(cls, year: int, parts: BalanceParts) -> YearBreakdown:
        return cls(year, parts.employer, parts.worker, parts.development, parts.claims, parts.net)


def breakdown_total(years: list[YearBreakdown]) -> BalanceParts:
    """The sum of a per-year breakdown: the KPJ's whole balance, part by part."""
    return BalanceParts(
        employer=sum(y.employer for y in years),
        worker=sum(y.worker for y in years),
        development=sum(y.development for y in years),
        claims=sum(y.claims for y in years),
    )


def _lines(membership: Membership) -> tuple[QuerySet[JhtEntry], QuerySet[Contribution]]:
    """The two halves of a KPJ's JHT ledger: its entries, and its contributions with a JHT part (a contribution
    is its own ledger line; reversed ones too, since their reversal entries take them out)."""
    return (
        JhtEntry.objects.filter(account__membership=membership),
        Contribution.objects.filter(membership=membership).exclude(jht_employer=0, jht_worker=0),
    )


def _archived(membership: Membership) -> QuerySet[ArchivedYearTotal]:
    """The sums an archived year left of this KPJ's lines (`contributions.archive`): that year's one line."""
    return ArchivedYearTotal.objects.filter(account__membership=membership).order_by("year")


def _archived_parts(archived: ArchivedYearTotal) -> tuple[int, int, int, int]:
    return archived.employer_amount, archived.worker_amount, archived.development_amount, archived.claim_amount


def yearly_breakdown(membership: Membership) -> list[YearBreakdown]:
    entries, contributions = _lines(membership)
    years: dict[int, list[int]] = {}  # year -> [employer, worker, development, claims]
    for row in (
        entries.annotate(y=ExtractYear("value_date"))
        .values("y")
        .annotate(
            employer=Sum("employer_amount"),
            worker=Sum("worker_amount"),
            development=Sum("development_amount"),
            claims=Sum("claim_amount"),
        )
        .order_by()
    ):
        years[row["y"]] = [row["employer"] or 0, row["worker"] or 0, row["development"] or 0, row["claims"] or 0]
    for y, employer, worker in (
        contributions.annotate(y=ExtractYear("period"))
        .values("y")
        .annotate(employer=Sum("jht_employer"), worker=Sum("jht_worker"))
        .values_list("y", "employer", "worker")
        .order_by()
    ):
        sums = years.setdefault(y, [0, 0, 0, 0])
        sums[0] += employer or 0
        sums[1] += worker or 0
    for archived in _archived(membership):
        sums = years.setdefault(archived.year, [0, 0, 0, 0])
        for index, value in enumerate(_archived_parts(archived)):
            sums[index] += value
    return [
        YearBreakdown.of(year, BalanceParts(employer=employer, worker=worker, development=development, claims=claims))
        for year, (employer, worker, development, claims) in sorted(years.items(), reverse=True)
    ]


ARCHIVED_LABEL = _("ringkasan tahun diarsipkan")
ARCHIVED_NOTE = _("%(lines)s mutasi tahun ini diarsipkan; rinciannya dapat diminta di kantor cabang")


@dataclass(frozen=True)
class StatementLine:
    value_date: date
    kind: str
    kind_label: str
    note: str
    employer: int
    worker: int
    development: int
    claim: int
    amount: int
    balance: int


@dataclass
class Statement:
    membership: Membership
    year: int | None
    opening: int
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def closing(self) -> int:
        return self.lines[-1].balance if self.lines else self.opening

    def total(self, column: str) -> int:
        return sum(getattr(line, column) for line in self.lines)


def statement(membership: Membership, *, year: int | None = None) -> Statement:
    """Every ledger line of one KPJ (or of one year), with a running balance that ends on the ledger's balance.
    Lines of one day: contributions first, then entries in the order they were made. An archived year is one line
    of its sums on its 31 December."""
    entries, contributions = _lines(membership)
    archived = list(_archived(membership))
    opening = 0
    if year is not None:
        jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
        opening = (
            (entries.filter(value_date__lt=jan1).aggregate(s=Sum("amount"))["s"] or 0)
            + (contributions.filter(period__lt=jan1).aggregate(s=Sum(F("jht_employer") + F("jht_worker")))["s"] or 0)
            + sum(a.amount for a in archived if a.year < year)
        )
        entries = entries.filter(value_date__gte=jan1, value_date__lte=dec31)
        contributions = contributions.filter(period__gte=jan1, period__lte=dec31)
        archived = [a for a in archived if a.year == year]
    contribution_label = str(JhtEntry.Kind.CONTRIBUTION.label)
    # (value date, order within the day, id, kind, label, note, employer, worker, development, claim, amount)
    lines: list[tuple[date, int, int, str, str, str, int, int, int, int, int]] = [
        (c.period, 0, c.pk, "contribution", contribution_label, f"{c.period:%m/%Y}", c.jht_employer, c.jht_worker)
        + (0, 0, c.jht_total)
        for c in contributions.only("period", "jht_employer", "jht_worker")
    ]
    lines.extend(
        (e.value_date, 1, e.pk, e.kind, str(e.get_kind_display()), e.note, e.employer_amount, e.worker_amount)
        + (e.development_amount, e.claim_amount, e.amount)
        for e in entries
    )
    # An archived year's sums close that year, after its last day's lines.
    lines.extend(
        (date(a.year, 12, 31), 2, a.pk, "archived", str(ARCHIVED_LABEL), str(ARCHIVED_NOTE) % {"lines": a.lines})
        + (*_archived_parts(a), a.amount)
        for a in archived
    )
    lines.sort(key=lambda line: line[:3])
    result = Statement(membership=membership, year=year, opening=opening)
    running = opening
    for value_date, _order, _id, kind, label, note, employer, worker, development, claim, amount in lines:
        running += amount
        result.lines.append(
            StatementLine(value_date, kind, label, note, employer, worker, development, claim, amount, running)
        )
    return result
