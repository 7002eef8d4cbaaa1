"""The words of the claim notices (email and SMS), one per state a claim reaches, in Indonesian: notices are
written by workers and staff actions, not in the member's browser language."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from jaminanku.claims.models import JhtClaim
from jaminanku.core.money import format_rupiah

State = JhtClaim.State


def _headline(claim: JhtClaim) -> str:
    messages = {
        State.SUBMITTED: _("Klaim JHT %(ref)s telah kami terima."),
        State.IN_REVIEW: _("Klaim JHT %(ref)s sedang diperiksa petugas."),
        State.APPROVED: _("Klaim JHT %(ref)s disetujui dan akan segera dibayar."),
        State.PAYING: _("Klaim JHT %(ref)s sedang ditransfer ke rekening Anda."),
        State.RETURNED: _("Pembayaran klaim JHT %(ref)s gagal: mohon perbaiki data rekening Anda."),
        State.PAID: _("Klaim JHT %(ref)s telah dibayar."),
        State.REJECTED: _("Klaim JHT %(ref)s ditolak."),
        State.WITHDRAWN: _("Klaim JHT %(ref)s telah dibatalkan."),
    }
    return messages.get(State(claim.state), _("Status klaim JHT %(ref)s berubah.")) % {"ref": claim.reference}


SMS_NOTE_CHARS = 100  # the SMS stays within two segments with the headline and the link


def _short(note: str) -> str:
    return note if len(note) <= SMS_NOTE_CHARS else note[: SMS_NOTE_CHARS - 1].rstrip() + "…"


def state_changed(claim: JhtClaim, note: str, tracking_url: str) -> tuple[str, str, str]:
    """(email subject, email body, SMS) telling the member where their claim now stands."""
    with translation.override("id"):
        headline = _headline(claim)
        lines = [headline]
        if note:
            lines.append(note)
        lines.append(
            _("Bruto %(gross)s, PPh 21 %(tax)s, diterima %(net)s.")
            % {"gross": format_rupiah(claim.gross), "tax": format_rupiah(claim.tax), "net": format_rupiah(claim.net)}
        )
        lines.append(_("Lihat perkembangannya: %(url)s") % {"url": tracking_url})
        subject = _("Klaim JHT %(ref)s: %(state)s") % {"ref": claim.reference, "state": claim.get_state_display()}
        # A rejection or a failed transfer says why in the SMS too: the member must act on it.
        why = f" {_short(note)}" if note and claim.state in (State.REJECTED, State.RETURNED) else ""
        sms = f"JaminanKu: {headline}{why} {tracking_url}"
        return subject, "\n\n".join(lines), sms


def cannot_move(claim: JhtClaim) -> str:
    return _("Klaim %(ref)s berstatus \u201c%(state)s\u201d; langkah ini tidak dapat dilakukan.") % {
        "ref": claim.reference,
        "state": claim.get_state_display(),
    }
