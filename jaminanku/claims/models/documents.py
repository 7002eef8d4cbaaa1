"""Documents attached to a claim: checked by content when uploaded, kept in the private `claims` storage."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from jaminanku.claims.models.claim import JhtClaim


def claims_storage():  # type: ignore[no-untyped-def]  # a callable so tests and settings can swap the backend
    return storages["claims"]


def _document_path(instance: ClaimDocument, filename: str) -> str:
    # The member's file name is never used: it may say anything.
    return f"documents/{instance.claim.reference}/{instance.kind}-{instance.token}{instance.extension}"


class ClaimDocument(models.Model):
    class Kind(models.TextChoices):
        KTP = "ktp", _("e-KTP")
        KK = "kk", _("Kartu Keluarga")
        RESIGNATION_LETTER = "resignation", _("Surat pengunduran diri / keterangan berhenti bekerja (paklaring)")
        DISMISSAL_PROOF = "dismissal", _("Bukti PHK")
        CONTRACT_END = "contract_end", _("Perjanjian kerja / surat keterangan kontrak berakhir")
        HOUSING_CONTRACT = "housing", _("Akta jual beli / perjanjian kredit atau kontrak pembangunan rumah")
        DOCTOR_STATEMENT = "doctor", _("Surat keterangan dokter (cacat total tetap)")
        PASSPORT = "passport", _("Paspor")
        VISA = "visa", _("Visa atau izin tinggal di luar negeri")
        NOT_WORKING_STATEMENT = "not_working", _("Surat pernyataan tidak bekerja lagi di Indonesia")
        DEATH_CERTIFICATE = "death", _("Akta kematian")
        HEIR_CERTIFICATE = "heirs", _("Surat keterangan ahli waris")
        WORKING_STATEMENT = "working", _("Surat keterangan masih/berhenti bekerja")
        BANK_BOOK = "bank_book", _("Buku tabungan")
        OTHER = "other", _("Dokumen lain")

    claim = models.ForeignKey(JhtClaim, verbose_name=_("klaim"), related_name="documents", on_delete=models.CASCADE)
    kind = models.CharField(_("jenis dokumen"), max_length=16, choices=Kind.choices)
    token = models.CharField(max_length=32, unique=True)  # random; names the file and the download link
    extension = models.CharField(max_length=8)  # from the content: ".jpg", ".png", ".pdf"
    file = models.FileField(_("berkas"), storage=claims_storage, upload_to=_document_path, max_length=200)
    content_type = models.CharField(_("tipe isi"), max_length=40)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    original_name = models.CharField(_("nama berkas asal"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("dokumen klaim")
        verbose_name_plural = _("dokumen klaim")
        ordering = ["claim", "kind", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.get_kind_display()}"
