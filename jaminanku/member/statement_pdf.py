"""The "Rincian Saldo" PDF: agency header, member identity with the NIK masked, every entry with its running
balance, and totals that reconcile with the ledger. Drawn with ReportLab's platypus tables."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from jaminanku.core.masking import mask_nik
from jaminanku.core.money import format_rupiah
from jaminanku.core.pdf import AGENCY_GREEN, agency_pdf
from jaminanku.member.selectors import Statement


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "–"


def statement_pdf(statement: Statement, *, printed_on: date) -> bytes:
    membership = statement.membership
    person = membership.person
    styles = getSampleStyleSheet()
    period = str(statement.year) if statement.year else _("Semua tahun")
    story = [
        Table(
            [
                [_("Nama"), person.full_name],
                [_("NIK"), mask_nik(person.nik)],
                [_("No. KPJ"), membership.kpj],
                [_("Segmen"), membership.segment],
                [_("Periode"), period],
                [_("Dicetak"), _d(printed_on)],
            ],
            colWidths=[35 * mm, 120 * mm],
            style=TableStyle([("FONTSIZE", (0, 0), (-1, -1), 9), ("TEXTCOLOR", (0, 0), (0, -1), colors.grey)]),
            hAlign="LEFT",
        ),
        Spacer(1, 6 * mm),
    ]
    header = [
        _("Tanggal"),
        _("Jenis"),
        _("Keterangan"),
        _("Pemberi kerja"),
        _("Pekerja"),
        _("Pengembangan"),
        _("Klaim"),
        _("Saldo"),
    ]
    rows: list[list[str]] = [header, ["", _("Saldo awal"), "", "", "", "", "", format_rupiah(statement.opening)]]
    for line in statement.lines:
        rows.append(
            [
                _d(line.value_date),
                line.kind_label,
                line.note[:28],
                format_rupiah(line.employer),
                format_rupiah(line.worker),
                format_rupiah(line.development),
                format_rupiah(line.claim),
                format_rupiah(line.balance),
            ]
        )
    rows.append(
        [
            "",
            _("Jumlah"),
            "",
            format_rupiah(statement.total("employer")),
            format_rupiah(statement.total("worker")),
            format_rupiah(statement.total("development")),
            format_rupiah(statement.total("claim")),
            format_rupiah(statement.closing),
        ]
    )
    table = Table(
        rows, repeatRows=1, colWidths=[19 * mm, 22 * mm, 24 * mm, 24 * mm, 22 * mm, 24 * mm, 22 * mm, 25 * mm]
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 7),
                ("BACKGROUND", (0, 0), (-1, 0), AGENCY_GREEN),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 4 * mm),
        Paragraph(_("Saldo akhir sama dengan saldo rekening JHT pada tanggal cetak."), styles["Italic"]),
    ]
    heading = _("Rincian Saldo JHT")
    return agency_pdf(heading=heading, title=f"{heading} {membership.kpj} {period}", body=story)
