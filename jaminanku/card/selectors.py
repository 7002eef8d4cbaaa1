"""The card of one membership (what it shows, its signed token) and the verification of a scanned token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jaminanku.card.render import CardFace
from jaminanku.card.signing import CardClaim, InvalidToken, sign_card, verify_card
from jaminanku.contributions.selectors import membership_status
from jaminanku.registry.models import Membership


def card_token(membership: Membership, *, issued_on: date | None = None) -> str:
    return sign_card(CardClaim(kpj=membership.kpj, issued_on=issued_on or timezone.localdate()))


@dataclass(frozen=True)
class CardText:
    """What a card says, also written beside its image on the card page (for screen readers, search and copying)."""

    full_name: str
    kpj: str
    segment: str
    programs: list[str]
    active: bool

    @property
    def status(self) -> str:
        return _("Aktif") if self.active else _("Non-aktif")


def card_text(membership: Membership, *, today: date | None = None) -> CardText:
    status = membership_status(membership, today=today or timezone.localdate())
    return CardText(
        full_name=membership.person.full_name,
        kpj=membership.kpj,
        segment=membership.get_segment_display(),
        programs=[p for p, s in status.programs.items() if s.status != "not_enrolled"],
        active=status.is_active,
    )


def card_face(membership: Membership, *, base_url: str, today: date | None = None) -> CardFace:
    today = today or timezone.localdate()
    text = card_text(membership, today=today)
    token = card_token(membership, issued_on=today)
    return CardFace(
        agency=settings.JAMINANKU_AGENCY_NAME.split(" (")[0],
        full_name=text.full_name,
        kpj=text.kpj,
        segment=text.segment,
        programs=text.programs,
        status=text.status,
        issued_on=today,
        token=token,
        verify_url=base_url.rstrip("/") + reverse("card:verify", args=[token]),
        labels={
            "title": _("KARTU PESERTA"),
            "name": _("Nama"),
            "kpj": _("No. KPJ"),
            "segment": _("Segmen"),
            "programs": _("Program"),
            "status": _("Status"),
            "issued": _("Diterbitkan"),
        },
    )


@dataclass(frozen=True)
class Verification:
    genuine: bool
    kpj: str = ""
    name: str = ""
    segment: str = ""
    issued_on: date | None = None
    active: bool = False
    programs: dict[str, str] | None = None  # program → status label, now


def verify_token(token: str, *, today: date | None = None) -> Verification:
    """Genuine means signed by our key and naming a membership we hold. Never returns the NIK or a balance."""
    try:
        claim = verify_card(token)
    except InvalidToken:
        return Verification(genuine=False)
    membership = Membership.objects.filter(kpj=claim.kpj).select_related("person").first()
    if membership is None:
        return Verification(genuine=False)
    status = membership_status(membership, today=today or timezone.localdate())
    return Verification(
        genuine=True,
        kpj=membership.kpj,
        name=membership.person.full_name,
        segment=membership.segment,
        issued_on=claim.issued_on,
        active=status.is_active,
        programs={p: s.label for p, s in status.programs.items()},
    )
