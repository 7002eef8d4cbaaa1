"""Draws the digital membership card as a PNG (Pillow) and a PDF (ReportLab), with the signed QR (segno).

Fonts are the Bitstream Vera files that ReportLab ships, so the card looks the same on any machine.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import reportlab
import segno
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
GREEN = (11, 122, 59)
INK = (27, 31, 35)
MUTED = (91, 100, 112)
WIDTH, HEIGHT = 1012, 638  # ID-1 card proportions (85.6 × 54 mm) at about 300 dpi


@dataclass(frozen=True)
class CardFace:
    agency: str
    full_name: str
    kpj: str
    segment: str
    programs: list[str]
    status: str
    issued_on: date
    token: str
    verify_url: str
    labels: dict[str, str]  # translated field labels: name, kpj, segment, programs, status, issued, title


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / ("VeraBd.ttf" if bold else "Vera.ttf")), size)


def qr_image(data: str, scale: int = 6) -> Image.Image:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def card_png(face: CardFace) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 110], fill=GREEN)
    draw.text((36, 22), face.agency, font=_font(30, bold=True), fill="white")
    draw.text((36, 66), face.labels["title"], font=_font(24), fill="white")
    # photo placeholder: a grey box with a head-and-shoulders outline
    draw.rounded_rectangle([36, 150, 236, 400], radius=12, outline=MUTED, width=3, fill=(236, 239, 241))
    draw.ellipse([96, 185, 176, 265], outline=MUTED, width=3)
    draw.arc([66, 270, 206, 420], start=200, end=340, fill=MUTED, width=3)
    y = 140
    for label, value in [
        (face.labels["name"], face.full_name),
        (face.labels["kpj"], face.kpj),
        (face.labels["segment"], face.segment),
        (face.labels["programs"], ", ".join(face.programs)),
        (face.labels["status"], face.status),
        (face.labels["issued"], face.issued_on.strftime("%d/%m/%Y")),
    ]:
        draw.text((270, y), label, font=_font(18), fill=MUTED)
        draw.text((270, y + 22), value[:34], font=_font(26, bold=True), fill=INK)
        y += 78
    qr = qr_image(face.verify_url, scale=5).resize((250, 250), Image.Resampling.NEAREST)
    image.paste(qr, (WIDTH - 286, 150))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def card_pdf(face: CardFace) -> bytes:
    """One ID-1 sized page holding the card image, so print and screen match exactly."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(85.6 * mm, 54 * mm))
    page.setTitle(f"{face.labels['title']} {face.kpj}")
    page.drawImage(ImageReader(io.BytesIO(card_png(face))), 0, 0, width=85.6 * mm, height=54 * mm)
    # The text again, invisible, so the PDF is searchable and readable by screen readers.
    text = page.beginText(2 * mm, 2 * mm)
    text.setTextRenderMode(3)
    text.setFont("Helvetica", 4)
    text.textLine(f"{face.full_name} {face.kpj} {face.segment} {face.status}")
    page.drawText(text)
    page.showPage()
    page.save()
    return buffer.getvalue()
