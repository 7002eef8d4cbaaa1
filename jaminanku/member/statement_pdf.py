"""The "Rincian Saldo" PDF: agency header, member identity with the NIK masked, every entry with its running
balance, and totals that reconcile with the ledger. Drawn with ReportLab's platypus tables."""

from __future__ import annotations

import io
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jaminanku.core.masking import mask_nik
from jaminanku.core.money import format_rupiah
from jaminanku.member.selectors import Statement

GREEN = colors.HexColor("#0b7a3b")


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "–"


def statement_pdf(statement: Statement, *, printed_on: date) -> bytes:
    membership = statement.membership
    person = membership.person
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    period = str(statement.year) if statement.year else _("Semua tahun")
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{_('Rincian Saldo JHT')} {membership.kpj} {period}",
        author=settings.JAMINANKU_AGENCY_NAME,
    )
    story = [
        Paragraph(f'<font color="#0b7a3b"><b>{settings.JAMINANKU_AGENCY_NAME}</b></font>', styles["Title"]),
        Paragraph(_("Rincian Saldo JHT"), styles["Heading2"]),
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
                ("BACKGROUND", (0, 0), (-1, 0), GREEN),
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
    doc.build(story)
    return buffer.getvalue()
