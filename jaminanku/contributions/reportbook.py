"""Bookkeeping shared by every bulk posting: one WageReport per employer (or per self-payment batch), its row
counts, row errors with a row number, a stable code and a translated reason, and its payment: due date, day
paid, amount due and late fine (`due`), worked out per report, never per row."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.audit.services import record_event
from jaminanku.contributions import due
from jaminanku.contributions.models import WageReport
from jaminanku.contributions.posting import PreparedContribution
from jaminanku.core.bulk import References, foreign_keys_checked_per_batch
from jaminanku.core.errors import DomainError
from jaminanku.registry.models import Employer

# A file with more bad rows than this keeps the first ones; the counts stay exact.
MAX_STORED_ERRORS = 10_000

REASONS: dict[str, Any] = {
    "unknown_npp": _("NPP tidak terdaftar."),
    "npp_mismatch": _("NPP berbeda dengan NPP laporan."),
    "period_invalid": _("Periode tidak valid (format YYYY-MM)."),
    "period_mismatch": _("Periode berbeda dengan periode laporan."),
    "period_future": _("Periode iuran belum berjalan."),
    "period_too_far": _("Periode terlalu jauh di depan."),
    "kpj_missing": _("Nomor KPJ kosong."),
    "unknown_kpj": _("Nomor KPJ tidak terdaftar."),
    "nik_mismatch": _("NIK tidak sesuai dengan pemilik KPJ."),
    "name_mismatch": _("Nama tidak sesuai dengan pemilik KPJ."),
    "wage_invalid": _("Upah harus bilangan bulat positif."),
    "not_pu": _("KPJ bukan peserta Penerima Upah (PU)."),
    "not_self_paying": _("KPJ bukan peserta BPU atau PMI."),
    "jht_not_opted": _("Peserta PMI ini tidak ikut JHT; tidak ada iuran yang dapat dibukukan."),
    "employment_date_invalid": _("Tanggal mulai/berhenti bekerja tidak valid (dd/mm/yyyy atau yyyy-mm-dd)."),
    "end_reason_missing": _("Alasan berhenti wajib diisi bila ada tanggal berhenti."),
    "end_reason_invalid": _("Alasan berhenti tidak dikenal."),
    "employment_ended": _("Masa kerja pada pemberi kerja ini sudah berakhir sebelum periode."),
    "employment_not_started": _("Masa kerja pada pemberi kerja ini belum dimulai pada periode."),
    "employment_start_after_period": _("Tanggal mulai bekerja sesudah periode laporan."),
    "employment_end_outside": _("Tanggal berhenti bekerja harus di dalam periode laporan."),
    "employment_overlap": _("Masa kerja bertumpang tindih dengan masa kerja lain peserta ini."),
    "other_employer": _("Peserta masih tercatat bekerja pada pemberi kerja lain (NPP %(npp)s)."),
    "no_rate": _("Tidak ada tarif iuran yang berlaku untuk periode ini."),
    "base_below_minimum": _("Penghasilan di bawah batas minimum."),
    "base_above_maximum": _("Nilai di atas batas maksimum."),
}


def reason(code: str, **params: object) -> str:
    message = REASONS.get(code, code)
    return str(message % params) if params else str(message)


def parse_amount(value: object) -> int | None:
    """A positive whole-rupiah amount from a number or text (`5000000`, `5.000.000`, `Rp5.000.000`)."""
    if type(value) is int:  # the usual value from a service caller (never a bool: its type is bool)
        return value if value > 0 else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, (float, Decimal)):
        return int(value) if value == int(value) and value > 0 else None
    text = re.sub(r"^rp\.?", "", str(value).strip().replace(" ", ""), flags=re.IGNORECASE)
    if re.fullmatch(r"\d+", text):
        amount = int(text)
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text) or re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        amount = int(re.sub(r"[.,]", "", text))
    else:
        return None
    return amount if amount > 0 else None


@dataclass
class ImportResult:
    """What one report did: rows total, posted, refused (with reasons) and already posted (duplicates)."""

    report_id: int
    npp: str
    period: date
    rows_total: int = 0
    rows_posted: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    kind: str = WageReport.Kind.WAGE_REPORT
    due_date: date | None = None
    paid_on: date | None = None
    amount_due: int = 0  # employer and worker shares of the rows this report posted
    late_fine: int = 0
    _report: WageReport | None = field(default=None, repr=False, compare=False)

    @property
    def days_late(self) -> int:
        return due.days_late(self.due_date, self.paid_on) if self.due_date and self.paid_on else 0

    @property
    def months_late(self) -> int:
        return due.months_late(self.due_date, self.paid_on) if self.due_date and self.paid_on else 0

    def assess(self) -> None:
        """Sets the late fine from the amount due so far (once per save of the report, not per row)."""
        if self.due_date is not None and self.paid_on is not None:
            self.late_fine = due.late_fine(
                amount_due=self.amount_due, due=self.due_date, paid_on=self.paid_on, kind=self.kind
            )

    @property
    def report(self) -> WageReport:
        """The WageReport row, read when first asked for: a month's import opens thousands of reports and
        needs only their ids."""
        if self._report is None:
            self._report = WageReport.objects.get(pk=self.report_id)
        return self._report


# Many reports travel as one JSON document, expanded by jsonb_to_recordset: one parameter serialised by json.dumps
# (in C), where arrays of text would be quoted element by element in Python.
_REPORT_RECORD = (
    "kind text, employer_id bigint, npp text, period date, filename text, sha256 text, imported_at timestamptz, "
    "imported_by_id bigint, due_date date, paid_on date"
)
_REPORT_COLUMNS = "kind, employer_id, npp, period, filename, sha256, imported_at, imported_by_id, due_date, paid_on"
_COUNTER_RECORD = (
    "id bigint, rows_total integer, rows_posted integer, rows_rejected integer, rows_duplicate integer, errors jsonb, "
    "amount_due bigint, late_fine bigint"
)


def _insert_reports_postgresql(records: list[dict[str, Any]]) -> dict[str, int]:
    """Inserts the reports (one per NPP) in one INSERT … SELECT … RETURNING; NPP → id. Their employers and
    importing users are checked once for the batch, not by a trigger per report (`bulk`: a million-person seeding
    opens 4.3 million reports)."""
    references = [
        References(Employer._meta.db_table, {r["employer_id"] for r in records if r["employer_id"] is not None}),
        References(
            get_user_model()._meta.db_table, {r["imported_by_id"] for r in records if r["imported_by_id"] is not None}
        ),
    ]
    with transaction.atomic(), foreign_keys_checked_per_batch(references), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {WageReport._meta.db_table} ({_REPORT_COLUMNS}, rows_total, rows_posted, rows_rejected,
                    rows_duplicate, errors, amount_due, late_fine)
                SELECT {_REPORT_COLUMNS}, 0, 0, 0, 0, '[]'::jsonb, 0, 0
                FROM jsonb_to_recordset(%s::jsonb) AS s({_REPORT_RECORD})
                RETURNING npp, id""",  # noqa: S608 - the table name comes from model metadata
            [json.dumps(records, ensure_ascii=False)],
        )
        return dict(cursor.fetchall())


def _update_reports_postgresql(records: list[dict[str, Any]]) -> None:
    """The counters of many reports in one UPDATE … FROM."""
    table = WageReport._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} SET rows_total = s.rows_total, rows_posted = s.rows_posted,
                rows_rejected = s.rows_rejected, rows_duplicate = s.rows_duplicate, errors = s.errors,
                amount_due = s.amount_due, late_fine = s.late_fine
                FROM jsonb_to_recordset(%s::jsonb) AS s({_COUNTER_RECORD})
                WHERE {table}.id = s.id""",  # noqa: S608 - the table name comes from model metadata
            [json.dumps(records, ensure_ascii=False)],
        )


def check_paid_on(paid_on: due.PaidOn | None) -> due.PaidOn:
    """The day a posting is paid: today unless given; a given day may not be in the future."""
    today = timezone.localdate()
    if paid_on is None:
        return today
    if isinstance(paid_on, date) and paid_on > today:
        raise DomainError(_("Tanggal bayar tidak boleh sesudah hari ini."), code="paid_on_future", field="paid_on")
    return paid_on


def count_posted(
    prepared: Collection[PreparedContribution],
    inserted: Collection[PreparedContribution],
    reports: Mapping[int, tuple[ReportBook, str]],
) -> None:
    """Counts in each report (`reports`: report id -> its book and key) the rows `posting.post_contributions`
    inserted of those handed to it, the others as duplicates (already posted), and what the inserted rows make
    the employer pay."""
    per_report = Counter(row.report_id for row in prepared)
    # usually every prepared row is inserted: then the counts are the same, and no second pass over the rows
    posted = per_report if len(inserted) == len(prepared) else Counter(row.report_id for row in inserted)
    amounts: Counter[int] = Counter()
    for row in inserted:
        amounts[row.report_id] += row.lines.employer_due + row.lines.worker_due
    for report_id, handed in per_report.items():
        book, key = reports[report_id]
        done = posted[report_id]
        book.count(key, posted=done, duplicate=handed - done, amount_due=amounts[report_id])


class ReportBook:
    """The reports of one bulk run, keyed by NPP ("" for a self-payment batch). `paid_on` is the day they were
    paid (`check_paid_on`), which with their period's due date gives each report its lateness and fine."""

    def __init__(
        self,
        *,
        period: date,
        kind: str,
        paid_on: due.PaidOn | None = None,
        actor: Any = None,
        filename: str = "",
        sha256: str = "",
        audit: bool = False,
    ):
        self.period = period
        self.kind = kind
        self.due_date = due.due_date(period, kind)
        self.paid_on = due.paid_on_for(paid_on or timezone.localdate(), period)
        self.actor = actor if getattr(actor, "pk", None) else None
        self.filename = filename
        self.sha256 = sha256
        self.audit = audit or self.actor is not None
        self.results: dict[str, ImportResult] = {}
        self._touched: set[str] = set()

    def open(self, employers: dict[str, int | None]) -> None:
        """Creates the reports not open yet, in one insert: `employers` maps NPP to employer id (None when the
        NPP is unknown)."""
        new = [npp for npp in employers if npp not in self.results]
        if not new:
            return
        now = timezone.now()
        actor_id = self.actor.pk if self.actor is not None else None
        payment: dict[str, Any] = {"kind": self.kind, "due_date": self.due_date, "paid_on": self.paid_on}
        if connection.vendor == "postgresql":
            stamp, period = now.isoformat(), self.period.isoformat()
            due_date, paid_on = self.due_date.isoformat(), self.paid_on.isoformat()
            ids = _insert_reports_postgresql(
                [
                    {
                        "kind": self.kind,
                        "employer_id": employers[npp],
                        "npp": npp,
                        "period": period,
                        "filename": self.filename,
                        "sha256": self.sha256,
                        "imported_at": stamp,
                        "imported_by_id": actor_id,
                        "due_date": due_date,
                        "paid_on": paid_on,
                    }
                    for npp in new
                ]
            )
            for npp in new:
                self.results[npp] = ImportResult(report_id=ids[npp], npp=npp, period=self.period, **payment)
            return
        reports = WageReport.objects.bulk_create(
            [
                WageReport(
                    kind=self.kind,
                    employer_id=employers[npp],
                    npp=npp,
                    period=self.period,
                    filename=self.filename,
                    sha256=self.sha256,
                    imported_at=now,
                    imported_by_id=actor_id,
                    due_date=self.due_date,
                    paid_on=self.paid_on,
                )
                for npp in new
            ]
        )
        for npp, report in zip(new, reports, strict=True):
            self.results[npp] = ImportResult(
                report_id=report.pk, npp=npp, period=self.period, _report=report, **payment
            )

    def count(self, npp: str, *, total: int = 0, posted: int = 0, duplicate: int = 0, amount_due: int = 0) -> None:
        """Adds to a report's row counts; `amount_due` is what its rows just posted (employer and worker shares)."""
        result = self.results[npp]
        result.rows_total += total
        result.rows_posted += posted
        result.rows_duplicate += duplicate
        result.amount_due += amount_due
        self._touched.add(npp)

    def reject(
        self, key: str, row: int, kpj: str, code: str, *, message: str = "", params: dict[str, object] | None = None
    ) -> None:
        """Refuses row `row` of report `key` (its NPP) with a stable `code` and a translated reason."""
        result = self.results[key]
        result.rows_rejected += 1
        if len(result.errors) < MAX_STORED_ERRORS:
            text = message or reason(code, **(params or {}))
            result.errors.append({"row": row, "kpj": kpj, "code": code, "reason": text})
        self._touched.add(key)

    def save(self) -> None:
        """Writes the counters of the reports touched since the last save, in one statement on PostgreSQL
        (executemany elsewhere; bulk_update's CASE per object costs more than the update itself)."""
        for key in self._touched:
            result = self.results[key]
            result.errors.sort(key=lambda e: e["row"])
            result.assess()
            if result._report is not None:  # keep a report already read in step with the database
                report = result._report
                report.rows_total, report.rows_posted = result.rows_total, result.rows_posted
                report.rows_rejected, report.rows_duplicate = result.rows_rejected, result.rows_duplicate
                report.errors = result.errors
                report.amount_due, report.late_fine = result.amount_due, result.late_fine
        touched = [self.results[key] for key in self._touched]
        self._touched.clear()
        if not touched:
            return
        if connection.vendor == "postgresql":
            _update_reports_postgresql(
                [
                    {
                        "id": r.report_id,
                        "rows_total": r.rows_total,
                        "rows_posted": r.rows_posted,
                        "rows_rejected": r.rows_rejected,
                        "rows_duplicate": r.rows_duplicate,
                        "errors": r.errors,
                        "amount_due": r.amount_due,
                        "late_fine": r.late_fine,
                    }
                    for r in touched
                ]
            )
            return
        errors_field = WageReport._meta.get_field("errors")
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {WageReport._meta.db_table} SET rows_total = %s, rows_posted = %s, "  # noqa: S608
                "rows_rejected = %s, rows_duplicate = %s, errors = %s, amount_due = %s, late_fine = %s WHERE id = %s",
                [
                    (
                        r.rows_total,
                        r.rows_posted,
                        r.rows_rejected,
                        r.rows_duplicate,
                        errors_field.get_db_prep_save(r.errors, connection),
                        r.amount_due,
                        r.late_fine,
                        r.report_id,
                    )
                    for r in touched
                ],
            )

    def finish(self) -> list[ImportResult]:
        self.save()
        results = list(self.results.values())
        if self.audit:
            reports = WageReport.objects.in_bulk([r.report_id for r in results if r._report is None])
            for result in results:
                result._report = result._report or reports[result.report_id]
                record_event(
                    "import_wage_report" if self.kind == WageReport.Kind.WAGE_REPORT else "post_self_payments",
                    instance=result.report,
                    after={
                        "npp": result.npp,
                        "period": result.period,
                        "filename": self.filename,
                        "sha256": self.sha256,
                        "rows_total": result.rows_total,
                        "rows_posted": result.rows_posted,
                        "rows_rejected": result.rows_rejected,
                        "rows_duplicate": result.rows_duplicate,
                        "due_date": result.due_date,
                        "paid_on": result.paid_on,
                        "amount_due": result.amount_due,
                        "late_fine": result.late_fine,
                    },
                    actor=self.actor,
                )
        return results
