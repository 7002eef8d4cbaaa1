"""The agency's registry: regions, persons (NIK), memberships (KPJ), employers (NPP) and employment periods."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jaminanku.registry import validators


class Province(models.Model):
    code = models.CharField(_("kode"), max_length=2, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    current = models.BooleanField(_("berlaku"), default=True)

    class Meta:
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Regency(models.Model):
    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(_("kode"), max_length=4, primary_key=True)
    province = models.ForeignKey(Province, verbose_name=_("provinsi"), on_delete=models.PROTECT)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, blank=True)
    current = models.BooleanField(_("berlaku"), default=True)

    class Meta:
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class District(models.Model):
    code = models.CharField(_("kode"), max_length=6, primary_key=True)
    regency = models.ForeignKey(Regency, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT)
    name = models.CharField(_("nama"), max_length=100)
    current = models.BooleanField(_("berlaku"), default=True)

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Sex(models.TextChoices):
    MALE = "M", _("Laki-laki")
    FEMALE = "F", _("Perempuan")


class Segment(models.TextChoices):
    PU = "PU", _("Penerima Upah (PU)")
    BPU = "BPU", _("Bukan Penerima Upah (BPU)")
    JAKON = "JAKON", _("Jasa Konstruksi (Jakon)")
    PMI = "PMI", _("Pekerja Migran Indonesia (PMI)")


class Person(models.Model):
    nik = models.CharField(_("NIK"), max_length=16, unique=True, validators=[validators.validate_nik_format])
    full_name = models.CharField(_("nama lengkap sesuai KTP"), max_length=150, db_index=True)
    date_of_birth = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    place_of_birth = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    mother_maiden_name = models.CharField(_("nama ibu kandung"), max_length=150, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("kecamatan alamat"), null=True, blank=True, on_delete=models.PROTECT
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    nik_flagged = models.BooleanField(
        _("NIK ditandai"),
        default=False,
        help_text=_("Tanggal lahir atau jenis kelamin pada NIK berbeda dengan data yang tercatat."),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("orang")
        verbose_name_plural = _("orang")
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="person_sex_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nik})"

    def clean(self) -> None:
        check = validators.check_person_nik(self.nik, date_of_birth=self.date_of_birth, sex=self.sex or None)
        if check.errors:
            raise ValidationError({"nik": check.errors})
        self.nik = check.nik
        self.nik_flagged = check.date_mismatch


class Employer(models.Model):
    class RiskClass(models.IntegerChoices):
        VERY_LOW = 1, _("Sangat rendah (0,24%)")
        LOW = 2, _("Rendah (0,54%)")
        MEDIUM = 3, _("Sedang (0,89%)")
        HIGH = 4, _("Tinggi (1,27%)")
        VERY_HIGH = 5, _("Sangat tinggi (1,74%)")

    npp = models.CharField(_("NPP"), max_length=8, unique=True, validators=[validators.validate_npp])
    name = models.CharField(_("nama perusahaan"), max_length=200, db_index=True)
    risk_class = models.PositiveSmallIntegerField(_("kelas risiko JKK"), choices=RiskClass.choices)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    regency = models.ForeignKey(
        Regency, verbose_name=_("kabupaten/kota"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("pemberi kerja")
        verbose_name_plural = _("pemberi kerja")
        constraints = [
            models.CheckConstraint(condition=Q(risk_class__gte=1, risk_class__lte=5), name="employer_risk_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.npp})"


class Membership(models.Model):
    """One KPJ number: a person's membership in one segment, with its own JHT account."""

    kpj = models.CharField(_("nomor KPJ"), max_length=11, unique=True, validators=[validators.validate_kpj])
    person = models.ForeignKey(Person, verbose_name=_("orang"), related_name="memberships", on_delete=models.PROTECT)
    segment = models.CharField(_("segmen"), max_length=5, choices=Segment.choices)
    registered_on = models.DateField(_("tanggal daftar"))
    jht_opted = models.BooleanField(
        _("ikut JHT"), default=True, help_text=_("JHT wajib untuk PU; pilihan untuk BPU dan PMI.")
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("kepesertaan")
        verbose_name_plural = _("kepesertaan")
        constraints = [
            models.CheckConstraint(
                condition=Q(segment__in=["PU", "BPU", "JAKON", "PMI"]), name="membership_segment_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpj} {self.segment}"


class Employment(models.Model):
    class EndReason(models.TextChoices):
        RESIGNATION = "resignation", _("Mengundurkan diri")
        DISMISSAL = "dismissal", _("Pemutusan hubungan kerja")
        END_OF_CONTRACT = "end_of_contract", _("Kontrak berakhir")
        RETIREMENT = "retirement", _("Pensiun")
        DEATH = "death", _("Meninggal dunia")
        DISABILITY = "disability", _("Cacat total tetap")
        EMIGRATION = "emigration", _("Meninggalkan Indonesia untuk selamanya")

    membership = models.ForeignKey(
        Membership, verbose_name=_("kepesertaan"), related_name="employments", on_delete=models.PROTECT
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("pemberi kerja"), related_name="employments", on_delete=models.PROTECT
    )
    start = models.DateField(_("mulai bekerja"))
    end = models.DateField(_("berhenti bekerja"), null=True, blank=True)
    end_reason = models.CharField(_("alasan berhenti"), max_length=20, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = _("masa kerja")
        verbose_name_plural = _("masa kerja")
        ordering = ["membership", "-start"]
        indexes = [models.Index(fields=["membership", "-start"], name="employment_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="employment_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True, end_reason="") | Q(end__isnull=False) & ~Q(end_reason=""),
                name="employment_end_has_reason",
            ),
            models.UniqueConstraint(
                fields=["membership"], condition=Q(end__isnull=True), name="one_open_employment_per_membership"
            ),
        ]

    def __str__(self) -> str:
        end = self.end.strftime("%d/%m/%Y") if self.end else "…"
        return f"{self.membership.kpj} @ {self.employer.npp} {self.start:%d/%m/%Y}–{end}"

    def clean(self) -> None:
        if self.end is not None and self.start is not None and self.end < self.start:
            raise ValidationError({"end": _("Tanggal berhenti tidak boleh sebelum tanggal mulai.")})
        if self.end is not None and not self.end_reason:
            raise ValidationError({"end_reason": _("Alasan berhenti wajib diisi bila ada tanggal berhenti.")})
        if self.end is None and self.end_reason:
            raise ValidationError({"end_reason": _("Alasan berhenti hanya diisi bila ada tanggal berhenti.")})
