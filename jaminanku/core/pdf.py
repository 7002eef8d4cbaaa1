"""The agency's printed documents (the balance statement, the withholding slip): an A4 page drawn with ReportLab's
platypus, headed by the agency's name in its green and the document's heading, with the title and the agency as
author in the PDF's properties."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

GREEN_HEX = "#0b7a3b"
AGENCY_GREEN = colors.HexColor(GREEN_HEX)


def agency_pdf(*, heading: str, title: str, body: Sequence[Flowable], margin: float = 15 * mm) -> bytes:
    """The PDF of `body` under the agency's header and `heading`; `title` goes into the document's properties."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        author=settings.JAMINANKU_AGENCY_NAME,
    )
    header = [
        Paragraph(f'<font color="{GREEN_HEX}"><b>{settings.JAMINANKU_AGENCY_NAME}</b></font>', styles["Title"]),
        Paragraph(heading, styles["Heading2"]),
    ]
    doc.build([*header, *body])
    return buffer.getvalue()
