"""Claim documents: what an upload really is, decided from its bytes (filetype), not from its name or the
browser's content type; JPEG and PNG decoded and written again by Pillow, so metadata and anything appended or
hidden in the file are gone; PDFs checked for a sane structure and refused when they carry scripts or attached
files. Kept in the private `claims` storage under a name made from a random token."""

from __future__ import annotations

import io
import re
import secrets
import warnings
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from jaminanku.claims.models import ClaimDocument, JhtClaim
from jaminanku.claims.requirements import required_documents
from jaminanku.core.errors import DomainError

# A phone photo of a KTP is ~12 megapixels; 40 leaves room for scans and stops decompression bombs (a small
# PNG that expands to gigabytes) before Pillow decodes them.
MAX_PIXELS = 40_000_000
ALLOWED = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
# PDF features that run or carry something when opened: a staff member's viewer must never meet them.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|OpenAction|AA|XFA)\b")
_PDF_HEADER = re.compile(rb"%PDF-(1\.[0-7]|2\.0)")


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    original_name: str

    @property
    def size(self) -> int:
        return len(self.content)


def _wrong_type() -> DomainError:
    return DomainError(
        _("Berkas harus berupa foto (JPEG atau PNG) atau PDF yang dapat dibuka."), code="document_type", field="file"
    )


def _too_large(limit: int) -> DomainError:
    return DomainError(
        _("Berkas terlalu besar: paling besar %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)},
        code="document_too_large",
        field="file",
    )


def _read_limited(upload: UploadedFile, limit: int) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise _too_large(limit)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return data


def _reencode_image(data: bytes, content_type: str) -> bytes:
    """The picture alone, written again: no EXIF (GPS), no comments, nothing after the image data."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise _wrong_type()
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)  # a phone photo keeps its orientation without the EXIF
        jpeg = content_type == "image/jpeg"
        mode = "RGB" if jpeg else ("L" if upright.mode in ("1", "L") else "RGBA")
        converted = upright.convert(mode)
        # pixels only: a new image from the raw pixels carries no info (comments, ICC, EXIF, text chunks) to save
        bare = Image.frombytes(mode, converted.size, converted.tobytes())
        out = io.BytesIO()
        if jpeg:
            bare.save(out, format="JPEG", quality=90, optimize=True)
        else:
            bare.save(out, format="PNG", optimize=True)
        return out.getvalue()
    except DomainError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _wrong_type() from exc


def _check_pdf(data: bytes) -> bytes:
    """A minimal structural check, as no PDF library is a dependency: the header at byte 0, objects, a
    cross-reference pointer and an end marker near the end; and no active content."""
    tail = data[-2048:]
    if (
        not _PDF_HEADER.match(data)
        or b" obj" not in data
        or b"startxref" not in tail
        or b"%%EOF" not in tail
        or _PDF_ACTIVE.search(data)
    ):
        raise _wrong_type()
    return data


def _safe_name(name: str | None) -> str:
    # Only shown to staff as a hint; never used to name the stored file.
    base = re.split(r"[\\/]", name or "")[-1]
    return "".join(c for c in base if c.isprintable())[:200]


def check_upload(upload: UploadedFile) -> CheckedFile:
    """The upload as it will be stored, or DomainError code "document_type" / "document_too_large"."""
    limit = int(settings.CLAIMS_DOCUMENT_MAX_BYTES)
    data = _read_limited(upload, limit)
    guess = filetype.guess(data[:8192]) if data else None
    content_type = guess.mime if guess is not None else ""
    if content_type not in ALLOWED:
        raise _wrong_type()
    content = _check_pdf(data) if content_type == "application/pdf" else _reencode_image(data, content_type)
    if len(content) > limit:  # a re-encoded image may grow a little
        raise _too_large(limit)
    return CheckedFile(content, content_type, ALLOWED[content_type], _safe_name(upload.name))


def store_document(*, claim: JhtClaim, kind: str, upload: UploadedFile, actor: Any = None) -> ClaimDocument:
    """Checks `upload` and keeps it as a document of `claim` (any state: staff scan documents at the counter)."""
    if kind not in ClaimDocument.Kind.values:
        raise DomainError(_("Jenis dokumen tidak dikenal."), code="document_kind", field="kind")
    checked = check_upload(upload)
    document = ClaimDocument(
        claim=claim,
        kind=kind,
        token=secrets.token_hex(16),
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        original_name=checked.original_name,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.save("upload", ContentFile(checked.content), save=False)  # the name comes from upload_to
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        document.file.storage.delete(str(document.file.name))  # no row, no file
        raise
    return document


def delete_document(document: ClaimDocument) -> None:
    name = str(document.file.name)
    storage = document.file.storage
    document.delete()
    # the file goes once the row is surely gone; a rolled-back delete keeps both
    transaction.on_commit(lambda: storage.delete(name))


def read_document(document: ClaimDocument) -> bytes:
    with document.file.open("rb") as handle:
        return bytes(handle.read())


def required_kinds(ground: str, kind: str) -> list[str]:
    """The documents a claim needs (claims/requirements.py, FACTS.md §6.1)."""
    return list(required_documents(ground, kind))
