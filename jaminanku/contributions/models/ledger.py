"""The contributions ledger: posted contributions, the JHT account of each membership with its running balance
and totals, the JHT entries that explain that balance, and the yearly development crediting runs.

Invariant (proved by `manage.py reconcile_ledger`): for every Account, balance and each total equal the sums of
its entries; balance = employer_total + worker_total + development_total + claims_total. Claims are stored as
negative amounts, so `claims_total` is zero or negative.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# An entry's, or an archived year's, amount is the sum of its four parts.
AMOUNT_IS_SUM = Q(amount=F("employer_amount") + F("worker_amount") + F("development_amount") + F("claim_amount"))


class Account(models.Model):
    """One per membership (KPJ): the JHT balance plus what a status or statement needs, kept current by every
    posting in the same transaction, so reading it costs one row whatever the length of the history."""

    membership = models.OneToOneField(
        "registry.Membership", verbose_name=_("kepesertaan"), related_name="jht_account", on_delete=models.PROTECT
    )
    balance = models.BigIntegerField(_("saldo JHT"), default=0)
    employer_total = models.BigIntegerField(_("total iuran JHT pemberi kerja"), default=0)
    worker_total = models.BigIntegerField(_("total iuran JHT pekerja"), default=0)
    development_total = models.BigIntegerField(_("total hasil pengembangan"), default=0)
    claims_total = models.BigIntegerField(
        _("total klaim"), default=0, help_text=_("Klaim dicatat negatif, jadi nilai ini nol atau negatif.")
    )
    last_paid_period = models.DateField(_("periode iuran terakhir"), null=True, blank=True)
    paid_since = models.DateField(
        _("iuran tanpa putus sejak"),
        null=True,
        blank=True,
        help_text=_("Periode pertama dari rangkaian bulan terbayar."),
    )
    last_employer = models.ForeignKey(
        "registry.Employer",
        verbose_name=_("pemberi kerja terakhir"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    last_contribution_at = models.DateTimeField(_("iuran terakhir dibukukan"), null=True, blank=True)

    class Meta:
        verbose_name = _("rekening JHT")
        verbose_name_plural = _("rekening JHT")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="account_balance_not_negative")]

    def __str__(self) -> str:
        return f"JHT {self.membership_id}"


class Contribution(models.Model):
    """One month's contribution for one membership (and employer, for PU). Every program line is its own
    column; the JKP lines are allocations (government, recomposition), not part of what the employer pays."""

    # No index of its own: `contribution_latest` (membership, -period) leads with it.
    membership = models.ForeignKey(
        "registry.Membership",
        verbose_name=_("kepesertaan"),
        related_name="contributions",
        on_delete=models.PROTECT,
        db_index=False,
    )
    employer = models.ForeignKey(
        "registry.Employer",
        verbose_name=_("pemberi kerja"),
        null=True,
        blank=True,
        related_name="contributions",
        on_delete=models.PROTECT,
    )
    period = models.DateField(_("periode"), help_text=_("Hari pertama bulan iuran."))
    wage = models.BigIntegerField(
        _("upah / penghasilan"), help_text=_("Upah dilaporkan (PU), penghasilan (BPU) atau iuran JHT pilihan (PMI).")
    )
    risk_class = models.PositiveSmallIntegerField(_("kelas risiko"), null=True, blank=True)
    jht_employer = models.BigIntegerField(_("JHT pemberi kerja"), default=0)
    jht_worker = models.BigIntegerField(_("JHT pekerja"), default=0)
    jkk = models.BigIntegerField(_("JKK"), default=0)
    jkm = models.BigIntegerField(_("JKM"), default=0)
    jp_base = models.BigIntegerField(_("dasar upah JP"), default=0)
    jp_employer = models.BigIntegerField(_("JP pemberi kerja"), default=0)
    jp_worker = models.BigIntegerField(_("JP pekerja"), default=0)
    jkp_government = models.BigIntegerField(_("JKP dari pemerintah"), default=0)
    jkp_from_jkk = models.BigIntegerField(_("JKP rekomposisi JKK"), default=0)
    jkp_from_jkm = models.BigIntegerField(_("JKP rekomposisi JKM"), default=0)
    employer_due = models.BigIntegerField(_("kewajiban pemberi kerja"), default=0)
    worker_due = models.BigIntegerField(_("kewajiban pekerja"), default=0)
    # No index: nothing reads contributions by report (a report is never deleted, and its lines are its employer's
    # and period's, which the once-per-employer-month key leads with), and keeping one cost each month's posting
    # 1.4-3.5 s of its 20-26 s at 1,000,000 persons (the new month's report ids land all over the index's newest
    # pages; bench/README.md, 2026-12-08).
    report = models.ForeignKey(
        "contributions.WageReport",
        verbose_name=_("laporan"),
        null=True,
        blank=True,
        related_name="contributions",
        on_delete=models.PROTECT,
        db_index=False,
    )
    posted_at = models.DateTimeField(_("dibukukan pada"), default=timezone.now)
    # A reversed contribution stays as history and frees its month for a corrected posting.
    reversed_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("iuran")
        verbose_name_plural = _("iuran")
        ordering = ["membership", "-period"]
        constraints = [
            # Posting the same month twice is refused by the database, whatever the code path. The period
            # leads so that a month's posting adds to one end of these indexes: keyed by member first, every
            # posted row touched a random page of a 3 GB index at 1,000,000 persons (bench/README.md).
            models.UniqueConstraint(
                fields=["period", "employer", "membership"],
                condition=Q(reversed_at__isnull=True),
                name="contribution_once_per_employer_month",
            ),
            models.UniqueConstraint(
                fields=["period", "membership"],
                condition=Q(employer__isnull=True, reversed_at__isnull=True),
                name="self_payment_once_per_month",
            ),
            models.CheckConstraint(condition=Q(wage__gt=0), name="contribution_wage_positive"),
        ]
        indexes = [models.Index(fields=["membership", "-period"], name="contribution_latest")]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.period:%m/%Y}"

    @property
    def jht_total(self) -> int:
        return self.jht_employer + self.jht_worker


class CreditingRun(models.Model):
    """One run of the yearly development crediting; the entries it inserted point back to it."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    rate_ppm = models.PositiveIntegerField(_("tarif (ppm)"))
    started_at = models.DateTimeField(_("mulai"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    accounts_credited = models.PositiveIntegerField(_("rekening dikreditkan"), default=0)
    total_credited = models.BigIntegerField(_("total dikreditkan"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelaku"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("proses kredit hasil pengembangan")
        verbose_name_plural = _("proses kredit hasil pengembangan")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} #{self.pk}"


class JhtEntry(models.Model):
    """A movement of a JHT account other than a contribution. Never edited: a correction is a reversal entry
    pointing at what it reverses (`reverses`, or `contribution` for a reversed contribution).

    A contribution is its own ledger line: its JHT columns, dated the first day of its period, count in the
    balance of its membership's account like an entry (`ledger.ledger_lines_sql`), so posting a month writes one row
    per member, not two (bench/README.md). The four component columns keep the weighting of the development
    method exact: contributions and development earn from the month after their value date, claims stop
    earning from the month they are paid; a reversal negates the components of what it reverses and keeps its
    value date."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("iuran")  # the kind of a contribution's ledger line, never of an entry
        DEVELOPMENT = "development", _("hasil pengembangan")
        CLAIM = "claim", _("klaim")
        REVERSAL = "reversal", _("pembatalan")

    # No index of its own: `jht_entry_account_date` (account, value_date) leads with it.
    account = models.ForeignKey(
        Account, verbose_name=_("rekening"), related_name="entries", on_delete=models.PROTECT, db_index=False
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    value_date = models.DateField(_("tanggal valuta"))
    year = models.PositiveSmallIntegerField(_("tahun pengembangan"), null=True, blank=True)
    employer_amount = models.BigIntegerField(_("iuran pemberi kerja"), default=0)
    worker_amount = models.BigIntegerField(_("iuran pekerja"), default=0)
    development_amount = models.BigIntegerField(_("hasil pengembangan"), default=0)
    claim_amount = models.BigIntegerField(_("klaim"), default=0)
    amount = models.BigIntegerField(_("jumlah"))
    # Set on the reversal of a contribution only; unique where set (a constraint below), so a contribution is
    # reversed at most once. Not a one-to-one field: its unique index would hold a NULL key for every
    # development and claim entry, written by every crediting and never read.
    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("iuran"),
        null=True,
        blank=True,
        related_name="jht_entry",
        on_delete=models.PROTECT,
        db_index=False,
    )
    # Unique where set (a constraint below): a one-to-one field would index the NULL of every other entry.
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("membatalkan"),
        null=True,
        blank=True,
        related_name="reversed_by",
        on_delete=models.PROTECT,
        db_index=False,
    )
    crediting_run = models.ForeignKey(
        CreditingRun,
        verbose_name=_("proses kredit"),
        null=True,
        blank=True,
        related_name="entries",
        on_delete=models.PROTECT,
        # Not indexed: nothing reads the entries by run (a run's totals are read from its year's partition, and runs
        # are never deleted), and each year's crediting wrote 1.4 million keys to it at 1,000,000 persons: 1.0-2.1 s
        # of a year's 23-37 s (migration 0016; bench/README.md, "2026-12-08 (morning)").
        db_index=False,
    )
    note = models.CharField(_("keterangan"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("mutasi JHT")
        verbose_name_plural = _("mutasi JHT")
        ordering = ["account", "value_date", "id"]
        indexes = [
            models.Index(fields=["account", "value_date"], name="jht_entry_account_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=AMOUNT_IS_SUM,
                name="jht_entry_amount_is_sum",
            ),
            models.UniqueConstraint(
                fields=["reverses"], condition=Q(reverses__isnull=False), name="jht_entry_reversed_once"
            ),
            models.UniqueConstraint(
                fields=["contribution"],
                condition=Q(contribution__isnull=False),
                name="jht_entry_contribution_reversed_once",
            ),
            # A year is credited once per account, even when two crediting runs race.
            models.UniqueConstraint(
                fields=["account", "year"], condition=Q(kind="development"), name="development_once_per_year"
            ),
            models.CheckConstraint(
                condition=~Q(kind="development") | Q(year__isnull=False), name="development_has_year"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["development", "claim", "reversal"]), name="jht_entry_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(contribution__isnull=True) | Q(kind="reversal"), name="jht_entry_contribution_on_reversal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value_date:%d/%m/%Y} {self.amount}"


class ArchivedYearTotal(models.Model):
    """One account's JHT ledger lines of an archived year, summed: what the live ledger keeps of a year whose
    partitions were detached (PostgreSQL, `manage.py ledger_partitions detach`), and kept for good once they are
    dropped after being dumped. Reconciling, the per-year breakdown and the statement count it as that year's one
    line, dated 31 December, so every balance still equals the sum of its lines without the year's rows
    (`contributions.archive`). Written by the detach and deleted by the attach, in their transactions."""

    # No index of its own: the unique (account, year) leads with it.
    account = models.ForeignKey(
        Account, verbose_name=_("rekening"), related_name="archived_years", on_delete=models.PROTECT, db_index=False
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    lines = models.PositiveIntegerField(_("jumlah mutasi"))
    employer_amount = models.BigIntegerField(_("iuran pemberi kerja"))
    worker_amount = models.BigIntegerField(_("iuran pekerja"))
    development_amount = models.BigIntegerField(_("hasil pengembangan"))
    claim_amount = models.BigIntegerField(_("klaim"))
    amount = models.BigIntegerField(_("jumlah"))

    class Meta:
        verbose_name = _("ringkasan tahun diarsipkan")
        verbose_name_plural = _("ringkasan tahun diarsipkan")
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="archived_year_once_per_account"),
            models.CheckConstraint(
                condition=AMOUNT_IS_SUM,
                name="archived_year_amount_is_sum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.account_id} {self.amount}"
