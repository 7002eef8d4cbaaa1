"""The withholding slip (bukti potong PPh 21 final) of a paid JHT claim as a PDF: the agency as withholder, the
slip's number, the member (name, NIK - the taxpayer number since 2024 - NPWP, which the registry does not hold,
and KPJ), the gross, the rate (RULES.md "JHT claims": 0 % up to Rp50,000,000, 5 % on the part above), the tax
withheld, the net and the date paid. Drawn with ReportLab's platypus, as the balance statement is."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from jaminanku.claims.eligibility import TAX_FREE_LIMIT, TAX_RATE_PERCENT
from jaminanku.claims.models import JhtClaim
from jaminanku.core.errors import DomainError
from jaminanku.core.money import format_rupiah
from jaminanku.core.pdf import agency_pdf


def _rate(gross: int) -> str:
    if gross <= TAX_FREE_LIMIT:
        return _("0%% (bruto sampai %(limit)s)") % {"limit": format_rupiah(TAX_FREE_LIMIT)}
    return _("%(rate)s%% atas bagian di atas %(limit)s (%(taxable)s)") % {
        "rate": TAX_RATE_PERCENT,
        "limit": format_rupiah(TAX_FREE_LIMIT),
        "taxable": format_rupiah(gross - TAX_FREE_LIMIT),
    }


class SlipUnavailable(DomainError):
    """The claim has no slip (yet): a conflict with its state, which the pages and the API answer with 409."""

    status = 409


def tax_slip_pdf(claim: JhtClaim) -> bytes:
    """The slip of `claim`; refused (SlipUnavailable "claim_not_paid") until the claim is paid, and
    ("slip_missing") for a paid claim without a slip number."""
    if claim.state != JhtClaim.State.PAID or claim.paid_on is None:
        raise SlipUnavailable(_("Bukti potong tersedia setelah klaim dibayar."), code="claim_not_paid")
    if not claim.tax_slip_number:
        raise SlipUnavailable(
            _("Bukti potong klaim ini belum bernomor. Hubungi kantor cabang Anda."), code="slip_missing"
        )
    person, membership = claim.person, claim.membership
    styles = getSampleStyleSheet()
    title = _("Bukti Pemotongan PPh Pasal 21 Final")
    label_style = TableStyle(
        [
            ("FONTSIZE", (0, 0), (-1, -1), 10),
            ("TEXTCOLOR", (0, 0), (0, -1), colors.grey),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
        ]
    )
    identity = [
        [_("Nomor bukti potong"), claim.tax_slip_number],
        [_("Pemotong pajak"), settings.JAMINANKU_AGENCY_NAME],
        [_("Nama penerima"), person.full_name],
        [_("NIK"), person.nik],
        [_("NPWP"), "-"],
        [_("No. KPJ"), membership.kpj],
        [_("Nomor klaim"), claim.reference],
        [
            _("Jenis penghasilan"),
            _("Jaminan Hari Tua dibayar sekaligus (%(kind)s)") % {"kind": claim.get_kind_display()},
        ],
    ]
    amounts = [
        [_("Penghasilan bruto"), format_rupiah(claim.gross)],
        [_("Tarif"), _rate(claim.gross)],
        [_("PPh 21 final dipotong"), format_rupiah(claim.tax)],
        [_("Dibayarkan (neto)"), format_rupiah(claim.net)],
        [_("Tanggal dibayar"), claim.paid_on.strftime("%d/%m/%Y")],
    ]
    story = [
        Table(identity, colWidths=[50 * mm, 120 * mm], style=label_style, hAlign="LEFT"),
        Spacer(1, 6 * mm),
        Table(amounts, colWidths=[50 * mm, 120 * mm], style=label_style, hAlign="LEFT"),
        Spacer(1, 6 * mm),
        Paragraph(_("PPh 21 atas Jaminan Hari Tua yang dibayar sekaligus bersifat final."), styles["Italic"]),
    ]
    return agency_pdf(heading=title, title=f"{title} {claim.tax_slip_number}", body=story, margin=18 * mm)
