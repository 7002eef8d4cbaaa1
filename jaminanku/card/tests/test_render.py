"""The card drawn as PNG and PDF carries a QR that decodes to the verification URL."""

import io
import subprocess
from datetime import date

import zxingcpp
from PIL import Image

from jaminanku.card.render import CardFace, card_pdf, card_png

FACE = CardFace(
    agency="BPJS Ketenagakerjaan",
    full_name="Siti Rahayu",
    kpj="24000000123",
    segment="PU",
    programs=["JHT", "JKK", "JKM", "JP", "JKP"],
    status="Aktif",
    issued_on=date(2026, 11, 24),
    token="TOKEN",
    verify_url="https://jaminanku.example/verify/TOKEN",
    labels={
        "title": "KARTU PESERTA",
        "name": "Nama",
        "kpj": "No. KPJ",
        "segment": "Segmen",
        "programs": "Program",
        "status": "Status",
        "issued": "Diterbitkan",
    },
)


def test_png_card_qr_decodes_to_the_verify_url():
    image = Image.open(io.BytesIO(card_png(FACE)))
    assert image.size == (1012, 638)
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == [FACE.verify_url]


def test_pdf_card_is_a_real_pdf_with_the_text(tmp_path):
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(card_pdf(FACE))
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "24000000123" in text and "Siti Rahayu" in text
