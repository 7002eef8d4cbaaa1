"""The automatic decision on a submitted online claim (issue 24): approved by the system only when every check
below holds, otherwise sent to an officer. The checks and their outcome are kept on the claim
(`auto_decision`), so the member's timeline and the staff desk can say why.

Choices, in RULES.md's terms:
- The end of employment must be in the registry, as reported by the employer (Employment.end), for the grounds
  resignation, dismissal, end of contract and retirement: the member's own letter alone is not enough.
- Age 56 needs no employer report: the date of birth is the registry's, checked against the NIK.
- A BPU/PMI member who stopped ("stopped") has no employer; the fact is the agency's own ledger showing the
  membership non-active for the waiting month, which eligibility already required, so it passes.
- A 30 % housing claim rests on a purchase or building contract nobody in the registry vouches for: an officer
  reads it. A 10 % claim needs no end of employment.
- Email and phone are verified: every account has both, since sign-up verifies each by a code before the account
  exists and a change is stored only once a code sent to the new address comes back (accounts.profile.services);
  the check is that the member still has an account to be told on.
- Recent changes: a change of email or phone (audit actions of profile.services.confirm_change) or of the payout
  account (payout_accounts.CHANGED_ACTION) within CLAIMS_RECENT_CHANGE_DAYS. Setting an account for the first
  time is not a change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jaminanku.accounts.models import MemberProfile
from jaminanku.audit.models import AuditEvent
from jaminanku.claims.models import JhtClaim, PayoutAccount
from jaminanku.claims.payout_accounts import CHANGED_ACTION
from jaminanku.registry.models import Employment

# token_sort_ratio 0-100 on normalised names. 90 lets a spelling variant through ("Muhamad Rizky" for
# "Muhammad Rizki" scores 89, "Dewi Lestary" 92, same name in another order 100) but not another person with the
# same first name ("Muhammad Rizal" for "Muhammad Rizki" scores 86, "Budi Hartono" for "Budi Santoso" 75). A name
# under it only sends the claim to an officer, while a false match pays a stranger: err towards review.
HOLDER_NAME_MATCH = 90

EMPLOYER_REPORTED_GROUNDS = {"resignation", "dismissal", "end_of_contract", "retirement"}
CONTACT_CHANGE_ACTIONS = ("accounts.email_changed", "accounts.phone_changed")


def reason_text(code: str) -> str:
    """The words for a check's outcome, in the active language (the stored text is Indonesian)."""
    texts = {
        "within_threshold": _("Jumlah klaim dalam batas klaim online."),
        "above_threshold": _("Jumlah klaim di atas batas klaim online: diperiksa petugas."),
        "online": _("Diajukan secara online."),
        "not_online": _("Diajukan di kantor cabang: diperiksa petugas."),
        "end_reported": _("Tanggal berhenti bekerja sudah dilaporkan pemberi kerja."),
        "end_not_reported": _("Tanggal berhenti bekerja belum dilaporkan pemberi kerja: diperiksa petugas."),
        "end_not_needed": _("Alasan klaim ini tidak memerlukan laporan berhenti bekerja dari pemberi kerja."),
        "document_needs_officer": _("Dokumen kepemilikan rumah diperiksa petugas."),
        "holder_name_match": _("Nama pemilik rekening sesuai dengan data peserta."),
        "holder_name_mismatch": _("Nama pemilik rekening berbeda dengan data peserta: diperiksa petugas."),
        "contacts_verified": _("Email dan nomor HP sudah terverifikasi."),
        "contacts_unverified": _("Email atau nomor HP belum terverifikasi: diperiksa petugas."),
        "no_recent_change": _("Tidak ada perubahan email, nomor HP atau rekening baru-baru ini."),
        "recent_email_change": _("Email diubah baru-baru ini: diperiksa petugas."),
        "recent_phone_change": _("Nomor HP diubah baru-baru ini: diperiksa petugas."),
        "recent_account_change": _("Rekening pembayaran diubah baru-baru ini: diperiksa petugas."),
        "no_other_open_claim": _("Tidak ada klaim lain yang sedang berjalan."),
        "other_open_claim": _("Ada klaim lain yang sedang berjalan: diperiksa petugas."),
    }
    return str(texts.get(code, code))


@dataclass
class Decision:
    checks: list[tuple[str, bool]] = field(default_factory=list)  # (code, passed)

    @property
    def approved(self) -> bool:
        return all(passed for _code, passed in self.checks)

    def as_json(self) -> dict[str, object]:
        """What claim.auto_decision keeps: the outcome, the reasons for it (the failed checks when sent to
        review, every check when approved) and every check with its result. Texts in Indonesian."""
        with translation.override("id"):
            checks = [{"code": c, "text": reason_text(c), "ok": ok} for c, ok in self.checks]
        reasons = [{"code": c["code"], "text": c["text"]} for c in checks if self.approved or not c["ok"]]
        return {"approved": self.approved, "reasons": reasons, "checks": checks}


def _end_check(claim: JhtClaim) -> tuple[str, bool]:
    if claim.ground == JhtClaim.Ground.HOUSING:
        return "document_needs_officer", False
    if claim.ground not in EMPLOYER_REPORTED_GROUNDS:
        return "end_not_needed", True
    # the latest employment, as eligibility reads it: an older job's end says nothing about the current one
    latest = Employment.objects.filter(membership_id=claim.membership_id).order_by("-start").first()
    ok = latest is not None and latest.end is not None
    return ("end_reported", True) if ok else ("end_not_reported", False)


def _recent_changes(claim: JhtClaim, profile: MemberProfile | None) -> list[tuple[str, bool]]:
    since = timezone.now() - timedelta(days=int(settings.CLAIMS_RECENT_CHANGE_DAYS))
    found: list[tuple[str, bool]] = []
    if profile is not None:
        actions = set(
            AuditEvent.objects.filter(
                object_type=MemberProfile._meta.label,
                object_id=str(profile.pk),
                action__in=CONTACT_CHANGE_ACTIONS,
                at__gte=since,
            ).values_list("action", flat=True)
        )
        if "accounts.email_changed" in actions:
            found.append(("recent_email_change", False))
        if "accounts.phone_changed" in actions:
            found.append(("recent_phone_change", False))
    account = PayoutAccount.objects.filter(person_id=claim.person_id).first()
    if (
        account is not None
        and AuditEvent.objects.filter(
            object_type=PayoutAccount._meta.label, object_id=str(account.pk), action=CHANGED_ACTION, at__gte=since
        ).exists()
    ):
        found.append(("recent_account_change", False))
    return found or [("no_recent_change", True)]


def decide(claim: JhtClaim) -> Decision:
    """Runs every check on a submitted claim (its payout account already copied onto it)."""
    decision = Decision()
    within = claim.gross <= settings.CLAIMS_ONLINE_THRESHOLD
    decision.checks.append(("within_threshold", True) if within else ("above_threshold", False))
    online = claim.channel == JhtClaim.Channel.ONLINE
    decision.checks.append(("online", True) if online else ("not_online", False))
    decision.checks.append(_end_check(claim))
    matches = (claim.holder_name_score or 0) >= HOLDER_NAME_MATCH
    decision.checks.append(("holder_name_match", True) if matches else ("holder_name_mismatch", False))
    profile = MemberProfile.objects.filter(person_id=claim.person_id).select_related("user").first()
    verified = profile is not None and profile.user.is_active and bool(profile.email and profile.phone)
    decision.checks.append(("contacts_verified", True) if verified else ("contacts_unverified", False))
    decision.checks.extend(_recent_changes(claim, profile))
    others = (
        JhtClaim.objects.filter(person_id=claim.person_id, state__in=JhtClaim.OPEN_STATES).exclude(pk=claim.pk).exists()
    )
    decision.checks.append(("other_open_claim", False) if others else ("no_other_open_claim", True))
    return decision
