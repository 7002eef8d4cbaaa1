"""A JHT claim as a case: what is claimed (KPJ, kind, ground), through which channel, where it stands, who decided,
and - once paid - its ledger entry and withholding slip. One open claim per person and one partial claim per
person are database constraints, not only checks in the services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JhtClaim(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", _("Klaim 100%")
        PARTIAL_10 = "partial_10", _("Klaim sebagian 10%")
        PARTIAL_30 = "partial_30", _("Klaim sebagian 30% (perumahan)")

    class Ground(models.TextChoices):
        """Why the money may be paid (RULES.md "JHT claims"); decides the documents asked for."""

        AGE = "age", _("Mencapai usia 56 tahun")
        RETIREMENT = "retirement", _("Mencapai usia pensiun pemberi kerja")
        RESIGNATION = "resignation", _("Mengundurkan diri")
        DISMISSAL = "dismissal", _("Pemutusan hubungan kerja")
        END_OF_CONTRACT = "end_of_contract", _("Kontrak kerja berakhir")
        STOPPED = "stopped", _("Berhenti bekerja (BPU/PMI)")
        DEATH = "death", _("Meninggal dunia (dibayar kepada ahli waris)")
        DISABILITY = "disability", _("Cacat total tetap")
        EMIGRATION = "emigration", _("Meninggalkan Indonesia untuk selamanya")
        PREPARATION = "preparation", _("Persiapan masa pensiun (10%)")
        HOUSING = "housing", _("Kepemilikan rumah (30%)")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        BRANCH = "branch", _("Kantor cabang")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        IN_REVIEW = "in_review", _("Diperiksa petugas")
        APPROVED = "approved", _("Disetujui, menunggu pembayaran")
        PAYING = "paying", _("Sedang dibayar")
        RETURNED = "returned", _("Pembayaran gagal, perbaiki rekening")
        PAID = "paid", _("Dibayar")
        REJECTED = "rejected", _("Ditolak")
        WITHDRAWN = "withdrawn", _("Dibatalkan peserta")

    OPEN_STATES = ("draft", "submitted", "in_review", "approved", "paying", "returned")
    PARTIAL_KINDS = ("partial_10", "partial_30")

    reference = models.CharField(_("nomor klaim"), max_length=12, unique=True)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("orang"), related_name="jht_claims", on_delete=models.PROTECT
    )
    membership = models.ForeignKey(
        "registry.Membership", verbose_name=_("kepesertaan"), related_name="jht_claims", on_delete=models.PROTECT
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    ground = models.CharField(_("alasan klaim"), max_length=16, choices=Ground.choices, blank=True)
    channel = models.CharField(_("saluran"), max_length=8, choices=Channel.choices, default=Channel.BRANCH)
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.DRAFT)
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("kantor cabang"),
        related_name="jht_claims",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    booking_code = models.CharField(_("kode antrean"), max_length=12, blank=True)
    gross = models.BigIntegerField(_("bruto"))
    tax = models.BigIntegerField(_("PPh 21"))
    # The account the money goes to (a copy of the member's payout account when submitted, corrected after a
    # failed payment); heirs of a death claim have their own accounts (ClaimHeir).
    bank_code = models.CharField(_("kode bank"), max_length=8, blank=True)
    account_number = models.CharField(_("nomor rekening"), max_length=34, blank=True)
    account_holder = models.CharField(_("nama pemilik rekening"), max_length=120, blank=True)
    holder_name_score = models.PositiveSmallIntegerField(_("kecocokan nama pemilik"), null=True, blank=True)
    declared_at = models.DateTimeField(_("pernyataan disetujui"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    due_on = models.DateField(_("batas layanan"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    auto_decision = models.JSONField(_("keputusan otomatis"), default=dict, blank=True)
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disiapkan oleh"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disetujui petugas"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disetujui supervisor"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    paid_on = models.DateField(_("dibayar"), null=True, blank=True)
    entry = models.OneToOneField(
        "contributions.JhtEntry",
        verbose_name=_("mutasi"),
        related_name="claim_record",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    tax_slip_number = models.CharField(_("nomor bukti potong"), max_length=24, null=True, blank=True, unique=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("klaim JHT")
        verbose_name_plural = _("klaim JHT")
        constraints = [
            # A partial claim is allowed once per person, whatever the KPJ: one that is paid or on its way.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind__in=["partial_10", "partial_30"])
                & Q(state__in=["submitted", "in_review", "approved", "paying", "returned", "paid"]),
                name="one_partial_claim_per_person",
            ),
            # Concurrent submissions for one member end with one open claim.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state__in=["draft", "submitted", "in_review", "approved", "paying", "returned"]),
                name="one_open_claim_per_person",
            ),
            # The ledger's claim entry exists exactly when the claim is paid (reconcile_ledger checks the rest).
            models.CheckConstraint(
                condition=(Q(state="paid") & Q(entry__isnull=False) & Q(paid_on__isnull=False))
                | (~Q(state="paid") & Q(entry__isnull=True)),
                name="claim_entry_iff_paid",
            ),
            models.CheckConstraint(
                condition=Q(gross__gte=0) & Q(tax__gte=0) & Q(tax__lte=models.F("gross")), name="claim_amounts_sane"
            ),
        ]
        indexes = [models.Index(fields=["office", "state", "due_on"], name="claim_desk_queue")]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    @property
    def net(self) -> int:
        return self.gross - self.tax

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class ClaimEvent(models.Model):
    """One step of a claim's timeline: the member's tracking page shows these, the audit log has them too."""

    claim = models.ForeignKey(JhtClaim, verbose_name=_("klaim"), related_name="events", on_delete=models.CASCADE)
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    state_from = models.CharField(_("dari status"), max_length=12, blank=True)
    state_to = models.CharField(_("ke status"), max_length=12, choices=JhtClaim.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    actor_label = models.CharField(_("oleh"), max_length=150, blank=True)  # "peserta", "sistem" or the username
    note = models.TextField(_("keterangan"), blank=True)  # shown to the member: say it in words they understand

    class Meta:
        verbose_name = _("riwayat klaim")
        verbose_name_plural = _("riwayat klaim")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.state_from}→{self.state_to}"


class ClaimHeir(models.Model):
    """An heir of a death claim: paid their share to their own account (FACTS.md §6.1)."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Suami/istri")
        CHILD = "child", _("Anak")
        PARENT = "parent", _("Orang tua")
        SIBLING = "sibling", _("Saudara kandung")
        OTHER = "other", _("Lainnya (surat wasiat/penetapan ahli waris)")

    claim = models.ForeignKey(JhtClaim, verbose_name=_("klaim"), related_name="heirs", on_delete=models.CASCADE)
    nik = models.CharField(_("NIK"), max_length=16)
    name = models.CharField(_("nama"), max_length=120)
    relation = models.CharField(_("hubungan"), max_length=8, choices=Relation.choices)
    share_percent = models.DecimalField(_("bagian (%)"), max_digits=5, decimal_places=2)
    bank_code = models.CharField(_("kode bank"), max_length=8)
    account_number = models.CharField(_("nomor rekening"), max_length=34)
    account_holder = models.CharField(_("nama pemilik rekening"), max_length=120)

    class Meta:
        verbose_name = _("ahli waris")
        verbose_name_plural = _("ahli waris")
        constraints = [
            models.UniqueConstraint(fields=["claim", "nik"], name="one_row_per_heir"),
            models.CheckConstraint(
                condition=Q(share_percent__gt=0) & Q(share_percent__lte=100), name="heir_share_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.share_percent}%)"


class PayoutAccount(models.Model):
    """The member's bank account for claim payments, kept for the next claim. A change notifies the member's
    email and phone and holds back automatic approval for CLAIMS_RECENT_CHANGE_DAYS."""

    person = models.OneToOneField(
        "registry.Person", verbose_name=_("orang"), related_name="payout_account", on_delete=models.PROTECT
    )
    bank_code = models.CharField(_("kode bank"), max_length=8)
    account_number = models.CharField(_("nomor rekening"), max_length=34)
    account_holder = models.CharField(_("nama pemilik rekening"), max_length=120)
    holder_name_score = models.PositiveSmallIntegerField(_("kecocokan nama pemilik"))
    changed_at = models.DateTimeField(_("diubah"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("rekening pembayaran")
        verbose_name_plural = _("rekening pembayaran")

    def __str__(self) -> str:
        return f"{self.bank_code} {self.account_number[-4:]}"
