"""Uploads are what their bytes say: JPEG and PNG decoded and written again without metadata or anything
appended, decompression bombs refused before decoding, PDFs with scripts or a broken structure refused, other
types refused whatever their name, and the size limit kept."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from jaminanku.claims import online
from jaminanku.claims.documents import check_upload, read_document
from jaminanku.claims.tests.online_helpers import (  # noqa: F401
    claim_files,
    claimant,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    upload,
)
from jaminanku.core.errors import DomainError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("claim_files")]


def _refused(name: str, content: bytes) -> str:
    with pytest.raises(DomainError) as err:
        check_upload(upload(name, content))
    return err.value.code


def test_jpeg_loses_its_metadata_and_anything_appended():
    exif = Image.Exif()
    exif[0x010F] = "Kamera Rahasia"  # Make
    exif[0x8825] = {2: (6.0, 10.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (0, 0, 255)).save(out, format="JPEG", exif=exif, comment=b"hidden comment")
    smuggled = out.getvalue() + b"PK\x03\x04 a zip archive hiding after the picture"
    checked = check_upload(upload("ktp.jpg", smuggled))
    assert checked.content_type == "image/jpeg" and checked.extension == ".jpg"
    assert b"Kamera Rahasia" not in checked.content and b"hidden comment" not in checked.content
    assert b"PK\x03\x04" not in checked.content and checked.content.endswith(b"\xff\xd9")
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.size == (80, 60) and not image.getexif()


def test_png_is_written_again_and_cmyk_jpeg_becomes_rgb():
    with_text = io.BytesIO()
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    Image.new("RGB", (20, 20)).save(with_text, format="PNG", pnginfo=info)
    checked = check_upload(upload("kk.png", with_text.getvalue()))
    assert checked.content_type == "image/png" and b"<script>" not in checked.content
    cmyk = io.BytesIO()
    Image.new("CMYK", (20, 20)).save(cmyk, format="JPEG")
    with Image.open(io.BytesIO(check_upload(upload("kk.jpg", cmyk.getvalue())).content)) as image:
        assert image.mode == "RGB"
    assert check_upload(upload("x.png", png_bytes())).content_type == "image/png"


def test_decompression_bomb_is_refused_before_decoding():
    bomb = io.BytesIO()
    Image.new("1", (8000, 6000)).save(bomb, format="PNG")  # 48 megapixels in a few kilobytes
    assert len(bomb.getvalue()) < 100_000
    assert _refused("bomb.png", bomb.getvalue()) == "document_type"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("surat.pdf", b"<!DOCTYPE html><html><body>not a pdf</body></html>"),
        ("surat.pdf", b"MZ\x90\x00\x03" + b"\x00" * 300),  # a Windows program
        ("foto.jpg", b"GIF89a" + b"\x00" * 100),  # an image, but not one we take
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200),  # a JPEG's first bytes, then nothing that decodes
        ("surat.pdf", b"%PDF-1.7\n%%EOF\n"),  # a header and an end, nothing between
        ("surat.pdf", pdf_bytes()[:-200]),  # cut short
        ("kosong.pdf", b""),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(name, content):
    assert _refused(name, content) == "document_type"


def test_pdf_with_a_script_is_refused():
    clean = pdf_bytes()
    scripted = clean.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    assert check_upload(upload("a.pdf", clean)).content_type == "application/pdf"
    assert _refused("a.pdf", scripted) == "document_type"


def test_content_decides_not_the_name_or_the_browser():
    checked = check_upload(upload("foto.jpg", pdf_bytes(), content_type="image/jpeg"))
    assert (checked.content_type, checked.extension) == ("application/pdf", ".pdf")
    checked = check_upload(upload("dokumen.pdf", jpeg_bytes(), content_type="application/pdf"))
    assert (checked.content_type, checked.extension) == ("image/jpeg", ".jpg")


def test_size_limit(settings):
    settings.CLAIMS_DOCUMENT_MAX_BYTES = 1024
    assert _refused("besar.pdf", pdf_bytes() + b"%" * 2048) == "document_too_large"


def test_stored_under_a_name_of_our_own_and_read_back():
    who = claimant()
    claim = online.start_claim(person=who.person, membership=who.membership, kind="full")
    document = online.add_document(claim=claim, kind="ktp", upload=upload("../../etc/passwd.jpg", jpeg_bytes()))
    assert document.file.name == f"documents/{claim.reference}/ktp-{document.token}.jpg"
    assert document.original_name == "passwd.jpg"
    assert read_document(document).startswith(b"\xff\xd8")
    with pytest.raises(DomainError) as err:
        online.add_document(claim=claim, kind="selfie", upload=upload("a.jpg", jpeg_bytes()))
    assert err.value.code == "document_kind"
