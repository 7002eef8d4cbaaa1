"""What a member may read of their own claims: the list, one claim by its reference, its documents, the
checklist of documents it needs, and its timeline. Another member's claim or document is answered exactly like
one that does not exist (NotFound, a 404), so a reference or token says nothing about whether it is in use."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jaminanku.claims.documents import required_kinds
from jaminanku.claims.models import ClaimDocument, ClaimEvent, JhtClaim
from jaminanku.claims.references import normalise_reference
from jaminanku.core.errors import NotFound
from jaminanku.registry.models import Person


def claims_of(person: Person) -> list[JhtClaim]:
    return list(
        JhtClaim.objects.filter(person=person).select_related("membership", "office").order_by("-created_at", "-pk")
    )


def claim_of(person: Person, reference: str) -> JhtClaim:
    reference = normalise_reference(reference or "")
    claim = (
        JhtClaim.objects.filter(person=person, reference=reference).select_related("membership", "office").first()
        if reference.isalnum() and len(reference) <= 12
        else None
    )
    if claim is None:
        raise NotFound(_("Klaim tidak ditemukan."), code="claim_not_found")
    return claim


def document_of(person: Person, reference: str, token: str) -> ClaimDocument:
    claim = claim_of(person, reference)
    document = claim.documents.filter(token=token).first() if (token or "").isalnum() else None
    if document is None:
        raise NotFound(_("Dokumen tidak ditemukan."), code="document_not_found")
    return document


def documents_checklist(claim: JhtClaim) -> list[tuple[str, str, bool]]:
    """(kind, label, present) for every document the claim needs, in the order they are asked for."""
    present = set(claim.documents.values_list("kind", flat=True))
    return [
        (kind, str(ClaimDocument.Kind(kind).label), kind in present)
        for kind in required_kinds(claim.ground, claim.kind)
    ]


def timeline(claim: JhtClaim) -> list[ClaimEvent]:
    """The claim's steps, oldest first: state_to (get_state_to_display), at, actor_label, note."""
    return list(claim.events.order_by("at", "pk"))
