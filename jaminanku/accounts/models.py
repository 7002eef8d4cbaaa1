"""Member accounts: the profile that ties a login to a registry person, the sign-up flow kept on the server,
one-time codes, account-reset requests to the agency, API tokens, and what the login's second step and the
"Perangkat & sesi" page keep: login challenges, trusted devices and the web sessions a member has open."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MemberProfile(models.Model):
    """One account per person, per email and per phone: the unique constraints below are the guard, not the
    Python checks in the services."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), related_name="member_profile", on_delete=models.CASCADE
    )
    person = models.OneToOneField(
        "registry.Person", verbose_name=_("orang"), related_name="member_profile", on_delete=models.PROTECT
    )
    email = models.EmailField(_("email"), unique=True)
    phone = models.CharField(_("nomor HP"), max_length=16, unique=True, help_text=_("Format E.164 (+628…)."))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("akun peserta")
        verbose_name_plural = _("akun peserta")
        constraints = [
            models.CheckConstraint(condition=Q(email=Lower("email")), name="profile_email_lower"),
            models.CheckConstraint(condition=Q(phone__startswith="+62"), name="profile_phone_e164_id"),
        ]

    def __str__(self) -> str:
        return self.email


class SignupFlow(models.Model):
    """One sign-up in progress. The steps follow the seed; answers are kept when the member goes back."""

    class Step(models.TextChoices):
        EMAIL = "email", _("Email")
        EMAIL_CODE = "email_code", _("Kode email")
        SEGMENT = "segment", _("Kepesertaan")
        NAME = "name", _("Nama")
        BIRTH_DATE = "birth_date", _("Tanggal lahir")
        NIK = "nik", _("NIK")
        KPJ = "kpj", _("KPJ")
        PHONE = "phone", _("Nomor HP")
        PHONE_CODE = "phone_code", _("Kode SMS")
        PASSWORD = "password", _("Kata sandi")
        DONE = "done", _("Selesai")
        # "data sudah terdaftar" and its ways out
        REGISTERED = "registered", _("Data sudah terdaftar")
        RECOVERY_CODE = "recovery_code", _("Pemulihan: kode SMS")
        RECOVERY_PASSWORD = "recovery_password", _("Pemulihan: kata sandi baru")
        RESET_REQUESTED = "reset_requested", _("Reset akun diajukan")

    IDLE_LIMIT = timedelta(minutes=30)

    id = models.CharField(primary_key=True, max_length=43, editable=False)
    step = models.CharField(_("langkah"), max_length=20, choices=Step.choices, default=Step.EMAIL)
    email = models.EmailField(_("email"), blank=True)
    email_verified = models.BooleanField(_("email terverifikasi"), default=False)
    segment = models.CharField(_("segmen"), max_length=5, blank=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("tanggal lahir"), null=True, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    kpj = models.CharField(_("KPJ"), max_length=11, blank=True)
    # set once name, date of birth, NIK, KPJ and segment matched one person; cleared when any of them is revisited
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("orang"), null=True, blank=True, on_delete=models.SET_NULL
    )
    phone = models.CharField(_("nomor HP"), max_length=16, blank=True)
    phone_verified = models.BooleanField(_("nomor HP terverifikasi"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), null=True, blank=True, on_delete=models.SET_NULL
    )
    reset_request = models.ForeignKey(
        "accounts.AccountResetRequest", verbose_name=_("reset akun"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("aktivitas terakhir"), db_index=True)

    class Meta:
        verbose_name = _("alur pendaftaran")
        verbose_name_plural = _("alur pendaftaran")

    def __str__(self) -> str:
        return f"{self.email or '…'} @ {self.step}"

    def expires_at(self) -> datetime:
        return self.last_activity_at + self.IDLE_LIMIT


class OneTimeCode(models.Model):
    """A 6-digit code, stored as a salted HMAC. Only the latest code of a (purpose, scope) counts."""

    class Purpose(models.TextChoices):
        SIGNUP_EMAIL = "signup_email", _("Pendaftaran: email")
        SIGNUP_PHONE = "signup_phone", _("Pendaftaran: nomor HP")
        RECOVERY_PHONE = "recovery_phone", _("Pemulihan akun: nomor HP lama")
        PASSWORD_RESET = "password_reset", _("Atur ulang kata sandi")
        CHANGE_EMAIL = "change_email", _("Ganti email")
        CHANGE_PHONE = "change_phone", _("Ganti nomor HP")
        LOGIN = "login", _("Masuk: langkah kedua")

    purpose = models.CharField(_("keperluan"), max_length=20, choices=Purpose.choices)
    scope = models.CharField(_("lingkup"), max_length=64, help_text=_("Alur pendaftaran atau akun pemilik kode."))
    destination = models.CharField(_("tujuan"), max_length=254)
    code_hash = models.CharField(_("hash kode"), max_length=100)
    created_at = models.DateTimeField(_("dibuat"))
    expires_at = models.DateTimeField(_("berlaku sampai"))
    failed_attempts = models.PositiveSmallIntegerField(_("percobaan salah"), default=0)
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("kode sekali pakai")
        verbose_name_plural = _("kode sekali pakai")
        indexes = [
            models.Index(fields=["purpose", "scope", "-created_at"], name="otc_latest"),
            models.Index(fields=["destination", "-created_at"], name="otc_per_destination"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} → {self.destination}"


class AccountResetRequest(models.Model):
    """A member who can reach neither the old email nor the old phone asks the agency to close the old account.
    Due 5 working days after the (working) day it arrives."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Diterima, sedang diproses")
        APPROVED = "approved", _("Disetujui, akun lama direset")
        REJECTED = "rejected", _("Ditolak")

    tracking_number = models.CharField(_("nomor pelacakan"), max_length=14, unique=True)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("orang"), related_name="account_reset_requests", on_delete=models.PROTECT
    )
    old_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun lama"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    contact_email = models.EmailField(_("email kontak"))
    contact_phone = models.CharField(_("nomor HP kontak"), max_length=16)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("diterima"))
    due_on = models.DateField(_("batas waktu"), db_index=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    reject_reason = models.TextField(_("alasan penolakan"), blank=True)
    # the branch whose officers work the request (offices.selectors.serving_office); none when no office is known
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("kantor cabang"),
        null=True,
        blank=True,
        related_name="account_reset_requests",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("permintaan reset akun")
        verbose_name_plural = _("permintaan reset akun")
        ordering = ["due_on", "received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="received"), name="one_open_account_reset_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""), name="account_reset_reject_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="received") | Q(decided_at__isnull=False), name="account_reset_decided_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number


def api_token_expiry() -> datetime:
    return timezone.now() + timedelta(days=int(getattr(settings, "API_TOKEN_LIFETIME_DAYS", 90)))


class ApiToken(models.Model):
    """A bearer token for the mobile API. Only its SHA-256 is stored; the token itself is shown once. It stops
    working at `expires_at` (API_TOKEN_LIFETIME_DAYS after it was issued); the member then logs in again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), related_name="api_tokens", on_delete=models.CASCADE
    )
    key_hash = models.CharField(_("hash token"), max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"), default=api_token_expiry)
    device = models.CharField(_("perangkat"), max_length=100, blank=True)
    place = models.CharField(_("alamat jaringan (disamarkan)"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.user} {self.label}".strip()


class LoginChallenge(models.Model):
    """A login between a correct password and the second step (a code by email or SMS, or an authenticator
    app's code). Kept on the server so the web and the API run the same steps; it lives 10 minutes and is used
    once. The web keeps its id in the (anonymous) session, an API client gets it in the answer."""

    class Method(models.TextChoices):
        EMAIL = "email", _("Kode lewat email")
        SMS = "sms", _("Kode lewat SMS")
        TOTP = "totp", _("Aplikasi autentikator")

    id = models.CharField(primary_key=True, max_length=43, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), related_name="+", on_delete=models.CASCADE
    )
    method = models.CharField(_("cara"), max_length=5, choices=Method.choices)
    created_at = models.DateTimeField(_("dibuat"))
    expires_at = models.DateTimeField(_("berlaku sampai"))
    wrong_tries = models.PositiveSmallIntegerField(_("percobaan salah"), default=0)
    done_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("langkah masuk")
        verbose_name_plural = _("langkah masuk")

    def __str__(self) -> str:
        return f"{self.user} @ {self.method}"


class TrustedDevice(models.Model):
    """A browser or app that passed the login's second step: it skips that step until `expires_at`
    (ACCOUNTS_TRUSTED_DEVICE_DAYS). Only the SHA-256 of its random token is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), related_name="trusted_devices", on_delete=models.CASCADE
    )
    token_hash = models.CharField(_("hash token"), max_length=64, unique=True)
    device = models.CharField(_("perangkat"), max_length=100, blank=True)
    place = models.CharField(_("alamat jaringan (disamarkan)"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("dibuat"))
    last_used_at = models.DateTimeField(_("terakhir dipakai"))
    expires_at = models.DateTimeField(_("berlaku sampai"), db_index=True)

    class Meta:
        verbose_name = _("perangkat tepercaya")
        verbose_name_plural = _("perangkat tepercaya")

    def __str__(self) -> str:
        return f"{self.user} {self.device}".strip()


class WebSession(models.Model):
    """One logged-in web session, so its member can see and end it (ASVS 7.5.2). Written at login; the session
    itself stays in Django's session store, found by `session_key`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), related_name="web_sessions", on_delete=models.CASCADE
    )
    session_key = models.CharField(_("kunci sesi"), max_length=40, unique=True)
    device = models.CharField(_("perangkat"), max_length=100, blank=True)
    place = models.CharField(_("alamat jaringan (disamarkan)"), max_length=50, blank=True)
    started_at = models.DateTimeField(_("mulai"))
    last_seen_at = models.DateTimeField(_("terakhir aktif"))

    class Meta:
        verbose_name = _("sesi web")
        verbose_name_plural = _("sesi web")

    def __str__(self) -> str:
        return f"{self.user} {self.device}".strip()


class FailureCount(models.Model):
    """Failures counted against a limit (`accounts.limits`: identity mismatches per sign-up and per address, wrong
    current passwords per account) in a fixed window. A check locks its row first and counts a failure before the
    lock is released, so simultaneous requests queue on the row instead of all passing a count read too early."""

    key = models.CharField(_("kunci"), primary_key=True, max_length=100, help_text=_("Nama batas dan hash kuncinya."))
    failures = models.PositiveIntegerField(_("kegagalan"), default=0)
    window_ends_at = models.DateTimeField(_("jendela berakhir"), db_index=True)

    class Meta:
        verbose_name = _("hitungan kegagalan")
        verbose_name_plural = _("hitungan kegagalan")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
