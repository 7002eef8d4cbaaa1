"""Employment derived from wage reports: which employment a row is paid under, and the employments a report
opens (the first report for a membership and employer) or closes (a row with employment_end and end_reason).

Decided in memory for a whole chunk (so a member moving employer in the same month works whatever the row
order), then written in two set-based statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from jaminanku.core.bulk import insert_ignoring_conflicts, rows_for_keys
from jaminanku.registry.models import Employment


@dataclass(slots=True)
class EmploymentState:
    id: int | None  # None: opened by this import, not saved yet
    employer_id: int
    npp: str
    start: date
    end: date | None
    end_reason: str
    dirty: bool = False


def load_employments(membership_ids: list[int]) -> dict[int, list[EmploymentState]]:
    """Every employment of these memberships (`bulk.rows_for_keys`)."""
    found: dict[int, list[EmploymentState]] = {mid: [] for mid in membership_ids}
    fields = ("id", "membership_id", "employer_id", "employer__npp", "start", "end", "end_reason")
    for eid, mid, employer_id, npp, start, end, reason in rows_for_keys(
        Employment.objects.values_list(*fields), "membership_id", membership_ids
    ):
        found[mid].append(EmploymentState(eid, employer_id, npp, start, end, reason))
    return found


def place_row(
    emps: list[EmploymentState],
    *,
    employer_id: int,
    npp: str,
    first: date,
    last: date,
    start: date | None,
    end: date | None,
    end_reason: str,
) -> tuple[str, dict[str, object]]:
    """Finds or derives the employment a row for period [first, last] is paid under, updating `emps`.
    Returns ("", {}) when the row may post, else a refusal code and its message parameters."""
    if end is None:  # the usual row: any employment with this employer over the period will do
        for e in emps:
            if e.employer_id == employer_id and e.start <= last and (e.end is None or e.end >= first):
                return "", {}
    same = [e for e in emps if e.employer_id == employer_id]
    covering = [e for e in same if e.start <= last and (e.end is None or e.end >= first)]
    if covering:
        return _end_if_asked(max(covering, key=lambda e: e.start), first=first, last=last, end=end, reason=end_reason)
    refusal = _why_none_opens(emps, same, employer_id=employer_id, first=first, start=start)
    if refusal is not None:
        return refusal
    code, start = _first_day(emps, first=first, last=last, start=start)
    code = code or _misfit(emps, first=first, last=last, start=start, end=end)
    if code:
        return code, {}
    emps.append(EmploymentState(None, employer_id, npp, start, end, end_reason if end else "", dirty=True))
    return "", {}


def _end_if_asked(
    employment: EmploymentState, *, first: date, last: date, end: date | None, reason: str
) -> tuple[str, dict[str, object]]:
    """A row paid under an employment over its period: closes it if the row ends it (on a day of the period, not
    before the employment began)."""
    if end is not None and employment.end is None:
        if end < max(first, employment.start) or end > last:
            return "employment_end_outside", {}
        employment.end, employment.end_reason, employment.dirty = end, reason, True
    return "", {}


def _why_none_opens(
    emps: list[EmploymentState], same: list[EmploymentState], *, employer_id: int, first: date, start: date | None
) -> tuple[str, dict[str, object]] | None:
    """Why a row with no employment over its period opens none (None if it may open one): the member works for
    another employer, or this employer's employment is still open from a later day, or the row names no start
    where this employer employed the member before."""
    other_open = next((e for e in emps if e.end is None and e.employer_id != employer_id), None)
    if other_open is not None:
        return "other_employer", {"npp": other_open.npp}
    if any(e.end is None for e in same):
        return "employment_not_started", {}
    if start is None and same:
        ended = all(e.end is not None and e.end < first for e in same)
        return ("employment_ended" if ended else "employment_not_started"), {}
    return None


def _misfit(emps: list[EmploymentState], *, first: date, last: date, start: date, end: date | None) -> str:
    """Why an employment from `start` to `end` cannot open for a row of [first, last] ("" if it can): it ends
    outside the period or before it starts, or it overlaps another employment (every other one is closed here)."""
    if end is not None and (end < max(first, start) or end > last):
        return "employment_end_outside"
    for e in emps:
        if e.start <= (end or date.max) and start <= (e.end or date.max):
            return "employment_overlap"
    return ""


def _first_day(emps: list[EmploymentState], *, first: date, last: date, start: date | None) -> tuple[str, date]:
    """The first day of the employment a row opens, and the refusal code if it falls after the period: the row's
    `start`, else (a new job) the first of the period, or the day after the previous job ended in this period."""
    if start is not None:
        return ("employment_start_after_period" if start > last else ""), start
    latest_end = max((e.end for e in emps if e.end is not None), default=None)
    start = first if latest_end is None or latest_end < first else latest_end + timedelta(days=1)
    return ("employment_overlap" if start > last else ""), start


def save_employments(employments: dict[int, list[EmploymentState]]) -> None:
    new: list[tuple[object, ...]] = []
    closed: list[Employment] = []
    for mid, emps in employments.items():
        for e in emps:
            if not e.dirty:
                continue
            if e.id is None:
                new.append((mid, e.employer_id, e.start, e.end, e.end_reason))
            else:
                closed.append(Employment(id=e.id, end=e.end, end_reason=e.end_reason))
    # Close first: a member moving employer this month may only open the new employment once the old one is
    # closed (one open employment per membership). Conflicts are ignored: a concurrent import may have opened
    # the same employment, and the constraint decides.
    Employment.objects.bulk_update(closed, ["end", "end_reason"], batch_size=1_000)
    insert_ignoring_conflicts(
        Employment._meta.db_table,
        ("membership_id", "employer_id", "start", "end", "end_reason"),
        new,
    )
