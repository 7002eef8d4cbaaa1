"""Payments of approved claims: a batch sent through one disbursement method (the agency bank's bulk-transfer
file, or a payout API) and one disbursement per payee - the member, or each heir of a death claim. The
idempotency key travels with the payment, so a batch sent again never pays twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jaminanku.claims.models.claim import ClaimHeir, JhtClaim
from jaminanku.claims.models.documents import claims_storage


class DisbursementBatch(models.Model):
    class Method(models.TextChoices):
        BANK_FILE = "bank_file", _("Berkas transfer massal bank")
        XENDIT = "xendit", _("Xendit Payouts API")

    class State(models.TextChoices):
        SENT = "sent", _("Dikirim, menunggu hasil")
        SETTLED = "settled", _("Selesai")

    reference = models.CharField(_("nomor batch"), max_length=20, unique=True)
    method = models.CharField(_("cara bayar"), max_length=12, choices=Method.choices)
    state = models.CharField(_("status"), max_length=8, choices=State.choices, default=State.SENT)
    transfer_file = models.FileField(_("berkas transfer"), storage=claims_storage, blank=True, max_length=200)
    result_file = models.FileField(_("berkas hasil"), storage=claims_storage, blank=True, max_length=200)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    settled_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch pembayaran klaim")
        verbose_name_plural = _("batch pembayaran klaim")

    def __str__(self) -> str:
        return self.reference


class Disbursement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Dikirim")
        PAID = "paid", _("Berhasil")
        FAILED = "failed", _("Gagal")

    LIVE_STATUSES = ("pending", "sent", "paid")

    claim = models.ForeignKey(JhtClaim, verbose_name=_("klaim"), related_name="disbursements", on_delete=models.PROTECT)
    heir = models.ForeignKey(
        ClaimHeir,
        verbose_name=_("ahli waris"),
        related_name="disbursements",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    payee_key = models.CharField(max_length=24)  # "member" or "heir-<id>": one live payment per payee
    batch = models.ForeignKey(
        DisbursementBatch,
        verbose_name=_("batch"),
        related_name="disbursements",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    idempotency_key = models.CharField(_("kunci idempotensi"), max_length=64, unique=True)
    amount = models.BigIntegerField(_("jumlah (neto)"))
    bank_code = models.CharField(_("kode bank"), max_length=8)
    account_number = models.CharField(_("nomor rekening"), max_length=34)
    account_holder = models.CharField(_("nama pemilik rekening"), max_length=120)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    provider_reference = models.CharField(_("referensi penyedia"), max_length=64, blank=True)
    failure_reason = models.CharField(_("alasan gagal"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    settled_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("pembayaran klaim")
        verbose_name_plural = _("pembayaran klaim")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "payee_key"],
                condition=Q(status__in=["pending", "sent", "paid"]),
                name="one_live_payment_per_payee",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="disbursement_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key} {self.amount}"
