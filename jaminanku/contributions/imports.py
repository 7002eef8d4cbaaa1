"""Wage-report import: validates rows in batches, derives employment, and posts through the posting core.

`import_month` is the bulk entry point (many employers, one WageReport each), also for several months at once
(employers' backlogs: one WageReport per employer and month, each row naming its period, so that a member's
months in one chunk share one look-up); `import_wage_lines` is one employer's report.
Rows are processed in chunks of CHUNK_ROWS (SET_BASED_CHUNK_ROWS set-based), each chunk in its own transaction,
with a constant number of queries per chunk (look-ups per `bulk.batched` slice of KPJs), never one per row. A bad
row is refused with its row number and reason and blocks nothing else; a row already posted counts as a duplicate.

On PostgreSQL one month of many employers (`import_month` without `through`) posts its usual rows set-based
(`posting_sql`: staged, classified, priced and posted by a few statements); every other row, and every row of a
member with one, takes the Python path below, so refusals, their row numbers and reasons are the same either way.

Employment is derived from the reports: the first report for a membership and employer with no employment
creates one (from `employment_start`, else the first day of the period, else the day after the member's
previous employment ended); `employment_end` + `end_reason` in a row close it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.contributions import due, posting_sql
from jaminanku.contributions.employment import EmploymentState, load_employments, place_row, save_employments
from jaminanku.contributions.models import WageReport
from jaminanku.contributions.periods import month_end, month_in_range, month_start, parse_day
from jaminanku.contributions.posting import PreparedContribution, post_contributions
from jaminanku.contributions.rates import (
    ContributionLines,
    PensionAges,
    RateSchedule,
    ScheduleCache,
    remembered_contribution,
)
from jaminanku.contributions.reportbook import (
    ImportResult,
    ReportBook,
    check_paid_on,
    count_posted,
    parse_amount,
    reason,
)
from jaminanku.core.bulk import AnyOf, References, batched, chunks, foreign_keys_checked_per_batch, rows_for_keys
from jaminanku.core.errors import DomainError
from jaminanku.registry.models import Employer, Employment, Membership, Segment
from jaminanku.registry.validators import digits_of, normalise_name

CHUNK_ROWS = 20_000
# One month of many employers (`import_month` without `through`) posts its usual rows set-based on PostgreSQL
# (`posting_sql`); False keeps every row on the Python path (the tests and the benchmark compare the two).
SET_BASED = True
# A month posted set-based is one chunk up to this many lines. Each chunk's statements join its lines to the
# whole registry, which the planner rightly does by hashing whole tables once a chunk is a sizeable part of them:
# at 1,000,000 persons the benchmark month (626,392 lines) took 140 s in chunks of CHUNK_ROWS, each reading every
# person and every account again, and 47.6 s in one chunk (72.5 s in chunks of CHUNK_ROWS planned as look-ups by
# index). The price is one transaction holding the month's accounts' row locks: posting is a night job, and member
# reads take no locks.
SET_BASED_CHUNK_ROWS = 1_000_000
# A membership's JHT account, read with the membership in one look-up (a LEFT JOIN), for posting
# (`posting.MemberAccount`): it then creates only the accounts that are missing and reads none again.
MEMBER_ACCOUNT_FIELDS = ("jht_account__id", "jht_account__last_paid_period", "jht_account__paid_since")


@dataclass(slots=True)
class WageLine:
    """One row of a wage report. Values may be text straight from a file; `period` None means the report's."""

    kpj: Any
    nik: Any = ""
    name: Any = ""
    wage: Any = None
    npp: Any = ""
    period: Any = None
    employment_start: Any = None
    employment_end: Any = None
    end_reason: Any = ""
    row_number: int = 0


class _Member(NamedTuple):
    """A membership as the import reads it: the person's identity and the JHT account (if any) in one look-up,
    handed to posting as its `MemberAccount`."""

    id: int
    kpj: str
    segment: str
    nik: str
    full_name: str
    date_of_birth: date
    account_id: int | None
    last_paid_period: date | None
    paid_since: date | None


@dataclass(slots=True)
class _Month:
    """What the rows of one period share: its bounds, rate schedule and report book."""

    period: date
    end: date
    future: bool
    schedule: RateSchedule
    book: ReportBook
    last_birth_at_pension_age: date | None  # born after it: under the pension age at the month's end


@dataclass(slots=True)
class _Row:
    line: WageLine
    number: int
    npp: str
    kpj: str
    key: str  # the report's NPP
    month: _Month
    period_error: str = ""
    wage: int | None = None
    start: date | None = None
    end: date | None = None
    end_reason: str = ""


def _in_posting_order(rows: list[_Row]) -> Iterator[_Row]:
    """Month by month; in a month, rows that close an employment first, so that a move to another employer in the
    same month can follow; otherwise as they came. (A stable sort by those two keys, done by grouping: a chunk has
    a handful of months and this runs over every row.)"""
    groups: defaultdict[tuple[date, bool], list[_Row]] = defaultdict(list)
    for row in rows:
        groups[row.month.period, row.end is None].append(row)
    for key in sorted(groups):
        yield from groups[key]


END_REASONS = {value: value for value in Employment.EndReason.values} | {
    str(label).casefold(): value for value, label in Employment.EndReason.choices
}


# A line for the SQL path, as staged: (index in the chunk, NPP, KPJ, NIK, name, wage). A plain tuple, not a
# NamedTuple: a national month stages over 600,000 of them.
StagedLine = tuple[int, str, str, str, str, int]


def _sql_path_takes(line: WageLine) -> bool:
    """A line the SQL path can take as it is (its wage aside, `posting_sql.plain_wage`): text fields, an NPP and
    a KPJ of ASCII digits, and neither a period nor employment dates of its own. Anything else is parsed, and
    refused or posted, by the Python path."""
    npp, kpj = line.npp, line.kpj
    return (
        type(npp) is str
        and type(kpj) is str
        and type(line.nik) is str
        and type(line.name) is str
        and npp.isascii()
        and npp.isdigit()
        and kpj.isascii()
        and kpj.isdigit()
        and line.period in (None, "")
        and line.employment_start is None
        and line.employment_end is None
    )


def _repeated(kpjs: list[str]) -> set[str]:
    """The KPJs that come more than once (counted only when some do: the usual month has none)."""
    if len(set(kpjs)) == len(kpjs):
        return set()
    return {kpj for kpj, count in Counter(kpjs).items() if count > 1}


class _WageImporter:
    """Imports the rows of one period, or of every period from `first` to `last` when `last` is given: each row
    then names its period (rows whose period is unreadable or out of range are refused in the first month's
    reports). `book_for` makes the report book of a month."""

    def __init__(
        self,
        *,
        first: date,
        book_for: Callable[[date], ReportBook],
        last: date | None = None,
        report_npp: str | None = None,
    ):
        self.first = month_start(first)
        self.last = month_start(last) if last is not None else self.first
        self.per_row_period = last is not None
        self.report_npp = report_npp  # set for one employer's report: rows with another NPP are refused
        self.today_month = month_start(timezone.localdate())
        self.schedules = ScheduleCache()
        self.pension = PensionAges()
        self._book_for = book_for
        self.months: dict[date, _Month] = {}
        # A report's periods come as a handful of values, each parsed once: value -> (its month, refusal code).
        self._periods: dict[object, tuple[_Month, str]] = {}
        self.employers: dict[str, tuple[int, int] | None] = {}  # npp -> (id, risk class), None if unknown
        self.rows_seen = 0
        self._amounts: list[str] | None = None  # the month's SQL amounts (set-based path), [] if it has none

    def month_of(self, period: date) -> _Month:
        month = self.months.get(period)
        if month is None:
            month = self.months[period] = _Month(
                period=period,
                end=month_end(period),
                future=period > self.today_month,
                schedule=self.schedules.get(period, Segment.PU),
                book=self._book_for(period),
                last_birth_at_pension_age=self.pension.last_birth_at_pension_age(month_end(period)),
            )
        return month

    # --- lookups (a few queries per chunk) ------------------------------------------------------------
    def _load_employers(self, npps: set[str]) -> None:
        missing = sorted(npps - set(self.employers))
        for batch in batched(missing):
            found = Employer.objects.filter(AnyOf(F("npp"), batch)).values_list("npp", "id", "risk_class")
            self.employers.update({npp: (eid, risk) for npp, eid, risk in found})
        for npp in missing:
            self.employers.setdefault(npp, None)

    @staticmethod
    def _memberships(kpjs: list[str]) -> dict[str, _Member]:
        found: dict[str, _Member] = {}
        fields = (
            "id",
            "kpj",
            "segment",
            "person__nik",
            "person__full_name",
            "person__date_of_birth",
            *MEMBER_ACCOUNT_FIELDS,
        )
        for values in rows_for_keys(Membership.objects.values_list(*fields), "kpj", kpjs):
            member = _Member._make(values)
            found[member.kpj] = member
        return found

    # --- one chunk --------------------------------------------------------------------------------------
    def process(self, lines: list[WageLine]) -> None:
        with transaction.atomic():
            self._process(lines)
            for month in self.months.values():
                month.book.save()

    def run(self, lines: Iterable[WageLine]) -> list[ImportResult]:
        size = SET_BASED_CHUNK_ROWS if self._set_based_amounts() is not None else CHUNK_ROWS
        for chunk in chunks(lines, size):
            self.process(chunk)
        return [result for _period, month in sorted(self.months.items()) for result in month.book.finish()]

    def _process(self, lines: list[WageLine]) -> None:
        amounts = self._set_based_amounts()
        if amounts is not None:
            self._process_set_based(lines, amounts)
            return
        rows = [self._parse(line) for line in lines]
        self._open_and_count([(row.month.period, row.key) for row in rows])
        self._post_rows(rows)

    def _open_and_count(self, keys: list[tuple[date, str]]) -> None:
        """Opens the reports of the rows' (period, NPP) keys, in the order they first come, and counts their rows."""
        self._load_employers({npp for _period, npp in keys} | ({self.report_npp} if self.report_npp else set()))
        totals = Counter(keys)
        opening: dict[date, dict[str, int | None]] = {}
        for period, npp in totals:
            opening.setdefault(period, {})[npp] = (self.employers[npp] or (None,))[0]
        for period, employers in opening.items():
            self.months[period].book.open(employers)
        for (period, npp), total in totals.items():
            self.months[period].book.count(npp, total=total)

    # --- set-based (PostgreSQL, one month of many employers: `posting_sql`) --------------------------------
    def _set_based_amounts(self) -> list[str] | None:
        """The SQL amount expressions of the month when this import can post its usual rows set-based, else None."""
        if not (SET_BASED and posting_sql.available()) or self.per_row_period or self.report_npp is not None:
            return None
        month = self.month_of(self.first)
        if month.future or month.schedule.is_empty:
            return None
        if self._amounts is None:
            self._amounts = posting_sql.amount_columns(month.schedule) or []
        return self._amounts or None

    def _process_set_based(self, lines: list[WageLine], amounts: list[str]) -> None:
        """The usual lines staged, classified, priced and posted in SQL; every other line, and every line of a
        member with one, through the Python path (`_post_rows`), which refuses them as before. Row numbers,
        reports and their counts come out as the Python path makes them."""
        month = self.month_of(self.first)
        start = self.rows_seen
        staged, keys, slow, others = self._split(lines, start)
        self._open_and_count(keys)
        results = month.book.results
        reports = {npp: results[npp].report_id for npp in results if self.employers.get(npp) is not None}
        npp_of = {report_id: npp for npp, report_id in reports.items()}
        with connection.cursor() as cursor:
            posting_sql.stage(cursor, [(*values, reports.get(values[1])) for values in staged])
            posting_sql.lock_accounts(cursor, sorted(others))
            ended, unusual = posting_sql.classify(
                cursor,
                period=month.period,
                bounds=posting_sql.wage_bounds(month.schedule),
                last_birth_at_pension_age=month.last_birth_at_pension_age,
            )
            references = [
                References(Employer._meta.db_table, {self.employers[npp][0] for npp in reports}),  # type: ignore[index]
                References(WageReport._meta.db_table, set(npp_of)),
            ]
            with foreign_keys_checked_per_batch(references):
                counts = posting_sql.post(cursor, period=month.period, amounts=amounts, now=timezone.now())
        for report_id, handed, posted, amount_due in counts:
            month.book.count(npp_of[report_id], posted=posted, duplicate=handed - posted, amount_due=amount_due)
        ended_reason = reason("employment_ended")  # translated once, not per row
        for index in ended:
            line = lines[index]
            number = line.row_number or start + index + 1
            month.book.reject(line.npp, number, line.kpj, "employment_ended", message=ended_reason)
        for index in unusual:
            self._parse_again(slow, lines, start, index)
        self.rows_seen = start + len(lines)
        if slow:
            self._post_rows([slow[index] for index in sorted(slow)])

    def _split(
        self, lines: list[WageLine], start: int
    ) -> tuple[list[StagedLine], list[tuple[date, str]], dict[int, _Row], set[str]]:
        """The lines the SQL path takes (`StagedLine`s); every line's report key, in order; the other lines parsed
        for the Python path (by index); and the KPJs sent there. A member with a line for the Python path, or
        with several lines, goes there with all of them."""
        period = self.first
        staged: list[StagedLine] = []
        keys: list[tuple[date, str]] = []
        slow: dict[int, _Row] = {}
        plain_wage = posting_sql.plain_wage  # a local name: this loop runs once per line of a national month
        for index, line in enumerate(lines):
            wage = plain_wage(line.wage)
            if wage is not None and _sql_path_takes(line):
                staged.append((index, line.npp, line.kpj, line.nik, line.name, wage))
                keys.append((period, line.npp))
            else:
                self._parse_again(slow, lines, start, index)
                keys.append((slow[index].month.period, slow[index].key))
        others = {row.kpj for row in slow.values()} | _repeated([staged_line[2] for staged_line in staged])
        if others:
            for staged_line in staged:
                if staged_line[2] in others:
                    self._parse_again(slow, lines, start, staged_line[0])
            staged = [staged_line for staged_line in staged if staged_line[2] not in others]
        self.rows_seen = start + len(lines)
        return staged, keys, slow, others

    def _parse_again(self, slow: dict[int, _Row], lines: list[WageLine], start: int, index: int) -> None:
        """Parses line `index` of a chunk for the Python path, numbered as if every line had been parsed."""
        self.rows_seen = start + index
        slow[index] = self._parse(lines[index])

    def _post_rows(self, rows: list[_Row]) -> None:
        """Checks the rows, derives employment and posts them: the Python path, row by row."""
        candidates = [row for row in rows if self._check_row(row)]
        memberships = self._memberships(sorted({row.kpj for row in candidates}))
        employments = load_employments(sorted({m.id for m in memberships.values()}))
        valid: list[tuple[_Row, _Member, int, int, ContributionLines]] = []
        for row in _in_posting_order(candidates):
            checked = self._check_member(row, memberships.get(row.kpj), employments)
            if checked is not None:
                valid.append((row, *checked))
        save_employments(employments)
        prepared: dict[tuple[int, int | None, date], PreparedContribution] = {}
        reports: dict[int, tuple[ReportBook, str]] = {}  # report id -> its book and NPP
        for row, member, employer_id, risk, contribution_lines in valid:
            month = row.month
            period = month.period
            key: tuple[int, int | None, date] = (member.id, employer_id, period)
            if key in prepared:  # the same KPJ twice in one report
                month.book.count(row.key, duplicate=1)
                continue
            report_id = month.book.results[row.key].report_id
            prepared[key] = PreparedContribution(
                member.id, employer_id, period, row.wage or 0, risk, contribution_lines, report_id
            )
            reports[report_id] = (month.book, row.key)
        posted = post_contributions(list(prepared.values()), members=memberships.values(), now=timezone.now())
        count_posted(prepared.values(), posted, reports)

    def _reject(self, row: _Row, code: str, *, message: str = "", params: dict[str, object] | None = None) -> None:
        row.month.book.reject(row.key, row.number, row.kpj, code, message=message, params=params)

    def _parse(self, line: WageLine) -> _Row:
        self.rows_seen += 1
        try:
            month, error = self._periods[line.period]
        except KeyError:
            month, error = self._periods[line.period] = self._month_of_value(line.period)
        except TypeError:  # a value that cannot be a key (not one a file gives)
            month, error = self._month_of_value(line.period)
        npp, kpj = digits_of(line.npp), digits_of(line.kpj)
        return _Row(
            line,
            line.row_number or self.rows_seen,
            npp,
            kpj,
            self.report_npp if self.report_npp is not None else npp,
            month,
            error,
        )

    def _month_of_value(self, value: object) -> tuple[_Month, str]:
        """The month a row's period value puts it in, and the refusal code if the value is not acceptable (the
        row then counts in the first month's report)."""
        if value in (None, ""):
            return self.month_of(self.first), "period_invalid" if self.per_row_period else ""
        # one month's report (no `through`): its range is that month alone
        period, error = month_in_range(value, self.first, self.last)
        return self.month_of(period), error

    def _check_row(self, row: _Row) -> bool:
        """The checks that need no member data; reads the row's wage and any employment change on the way."""
        code = self._refusal_before_member(row)
        if code:
            self._reject(row, code)
            return False
        return True

    def _refusal_before_member(self, row: _Row) -> str:
        """Why the row is refused before its member is looked up ("" if it is not): its report, period, KPJ and
        wage, then any employment start or end it brings."""
        if self.report_npp is not None and row.npp and row.npp != self.report_npp:
            return "npp_mismatch"
        if self.employers.get(row.key) is None:
            return "unknown_npp"
        if row.period_error:
            return row.period_error
        if row.month.future:
            return "period_future"
        if not row.kpj:
            return "kpj_missing"
        row.wage = parse_amount(row.line.wage)
        if row.wage is None:
            return "wage_invalid"
        if row.month.schedule.is_empty:
            return "no_rate"
        if row.line.employment_start is None and row.line.employment_end is None:  # the usual row
            return ""
        return _read_employment_change(row)

    def _check_member(
        self, row: _Row, member: _Member | None, employments: dict[int, list[EmploymentState]]
    ) -> tuple[_Member, int, int, ContributionLines] | None:
        code = ""
        if member is None:
            code = "unknown_kpj"
        elif member.segment != Segment.PU:
            code = "not_pu"
        elif row.line.nik != member.nik and digits_of(row.line.nik) != member.nik:
            code = "nik_mismatch"
        elif row.line.name != member.full_name and normalise_name(str(row.line.name or "")) != normalise_name(
            member.full_name
        ):
            code = "name_mismatch"
        if code or member is None:
            self._reject(row, code)
            return None
        employer = self.employers[row.key]
        assert employer is not None
        employer_id, risk_class = employer
        month = row.month
        cutoff = month.last_birth_at_pension_age
        try:
            lines = remembered_contribution(
                wage=row.wage or 0,
                schedule=month.schedule,
                risk_class=risk_class,
                jp_enrolled=cutoff is None or member.date_of_birth > cutoff,
            )
        except DomainError as exc:
            self._reject(row, exc.code, message=str(exc.message))
            return None
        # Last, so that a refused row never changes employment.
        code, params = place_row(
            employments[member.id],
            employer_id=employer_id,
            npp=row.key,
            first=row.month.period,
            last=row.month.end,
            start=row.start,
            end=row.end,
            end_reason=row.end_reason,
        )
        if code:
            self._reject(row, code, params=params)
            return None
        return member, employer_id, risk_class, lines


def _read_employment_change(row: _Row) -> str:
    """Reads the employment start, end and end reason a row brings into it; the refusal code if one is not
    acceptable, else ""."""
    line = row.line
    for attr, raw in (("start", line.employment_start), ("end", line.employment_end)):
        if raw not in (None, ""):
            parsed = parse_day(raw)
            if parsed is None:
                return "employment_date_invalid"
            setattr(row, attr, parsed)
    if row.end is None:
        return ""
    text = str(line.end_reason or "").strip()
    if not text:
        return "end_reason_missing"
    reason = END_REASONS.get(text) or END_REASONS.get(text.casefold())
    if reason is None:
        return "end_reason_invalid"
    row.end_reason = reason
    return ""


def _wage_reports(
    *, actor: Any, filename: str, sha256: str, audit: bool, paid_on: due.PaidOn | None
) -> Callable[[date], ReportBook]:
    """The report book of each month of an import, paid on `paid_on` (today when None)."""
    paid = check_paid_on(paid_on)

    def book_for(period: date) -> ReportBook:
        return ReportBook(
            period=period,
            kind=WageReport.Kind.WAGE_REPORT,
            paid_on=paid,
            actor=actor,
            filename=filename,
            sha256=sha256,
            audit=audit,
        )

    return book_for


def import_month(
    *,
    period: date,
    lines: Iterable[WageLine],
    through: date | None = None,
    actor: Any = None,
    filename: str = "",
    sha256: str = "",
    audit: bool = False,
    paid_on: due.PaidOn | None = None,
) -> list[ImportResult]:
    """Posts one month of wage reports for many employers (each line names its NPP): one WageReport per NPP.
    Staff imports (an actor, or audit=True) are recorded in the audit log. The reports were paid on `paid_on`
    (today when None; a function of the period for a history posted at once), which gives each its lateness and
    fine (`due`).

    With `through`, the reports of every month from `period` through `through` at once (employers' backlogs):
    each line then names its period too, one WageReport per NPP and month, and the ledger ends as if each month
    had been imported in turn; lines of one member placed next to each other share one look-up of the member
    per chunk. Lines whose period is unreadable or outside the range are refused in the reports of `period`."""
    if through is not None and month_start(through) < month_start(period):
        raise DomainError(_("Periode akhir sebelum periode awal."), code="period_range", field="through")
    books = _wage_reports(actor=actor, filename=filename, sha256=sha256, audit=audit, paid_on=paid_on)
    return _WageImporter(first=period, last=through, book_for=books).run(lines)


def import_wage_lines(
    *,
    npp: str,
    period: date,
    lines: Iterable[WageLine],
    filename: str = "",
    actor: Any = None,
    sha256: str = "",
    audit: bool = False,
    paid_on: due.PaidOn | None = None,
) -> ImportResult:
    """Posts one employer's wage report for one month, paid on `paid_on` (today when None). Rows naming another
    NPP or period are refused."""
    npp = digits_of(npp)
    employer_id = Employer.objects.filter(npp=npp).values_list("id", flat=True).first()
    if employer_id is None:
        raise DomainError(_("NPP %(npp)s tidak terdaftar.") % {"npp": npp}, code="unknown_npp", field="npp")
    books = _wage_reports(actor=actor, filename=filename, sha256=sha256, audit=audit, paid_on=paid_on)
    importer = _WageImporter(first=period, book_for=books, report_npp=npp)
    importer.month_of(month_start(period)).book.open({npp: employer_id})
    return importer.run(lines)[0]
