"""Card endpoints of the JSON API: verification of a scanned token (anonymous, under /card/) and the member's own
digital card (JSON, PNG, PDF, under /me/kpj/{kpj}/ beside the member's other KPJ endpoints)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from jaminanku.accounts.access import api_person, member_auth, membership_of
from jaminanku.card.render import CardFace, card_pdf, card_png
from jaminanku.card.selectors import card_face, verify_token
from jaminanku.core.api_schemas import errors
from jaminanku.core.errors import NotFound
from jaminanku.core.http import file_response

router = Router(tags=["card"])
# mounted at /me with the member's other KPJ endpoints, and tagged with them as before the card had its own module
member_cards = Router(tags=["member"], auth=member_auth)
KPJ_ERRORS = errors(401, 403, 404, 422)  # 404: not a KPJ of this member


class VerificationOut(Schema):
    genuine: bool
    kpj: str
    name: str
    segment: str
    issued_on: date | None
    active: bool
    programs: dict[str, str]


@router.get("/verify/{token}", response={200: VerificationOut, **errors(404)}, auth=None)
def verify(request: HttpRequest, token: str) -> VerificationOut:
    result = verify_token(token)
    if not result.genuine:
        raise NotFound("Kartu tidak dapat diverifikasi.", code="card_not_genuine")
    return VerificationOut(
        genuine=True,
        kpj=result.kpj,
        name=result.name,
        segment=result.segment,
        issued_on=result.issued_on,
        active=result.active,
        programs=result.programs or {},
    )


class CardOut(Schema):
    kpj: str
    full_name: str
    segment: str
    programs: list[str]
    status: str
    issued_on: date
    token: str
    verify_url: str


def _face(request: HttpRequest, kpj: str) -> CardFace:
    return card_face(membership_of(api_person(request), kpj), base_url=request.build_absolute_uri("/"))


# operation ids as when these were jaminanku/member/api.py's, so that clients generated from the OpenAPI document
# keep their method names
@member_cards.get(
    "/kpj/{kpj}/card",
    response={200: CardOut, **KPJ_ERRORS},
    summary="The digital card's face and its signed token",
    operation_id="jaminanku_member_api_card",
)
def card(request: HttpRequest, kpj: str) -> CardOut:
    face = _face(request, kpj)
    return CardOut(
        kpj=face.kpj,
        full_name=face.full_name,
        segment=face.segment,
        programs=face.programs,
        status=face.status,
        issued_on=face.issued_on,
        token=face.token,
        verify_url=face.verify_url,
    )


@member_cards.get(
    "/kpj/{kpj}/card.png",
    response={200: None, **KPJ_ERRORS},
    summary="The digital card as a PNG image",
    operation_id="jaminanku_member_api_card_image",
)
def card_image(request: HttpRequest, kpj: str) -> HttpResponse:
    face = _face(request, kpj)
    return file_response(card_png(face), "image/png", f"kartu-{kpj}.png")


@member_cards.get(
    "/kpj/{kpj}/card.pdf",
    response={200: None, **KPJ_ERRORS},
    summary="The digital card as a PDF",
    operation_id="jaminanku_member_api_card_document",
)
def card_document(request: HttpRequest, kpj: str) -> HttpResponse:
    face = _face(request, kpj)
    return file_response(card_pdf(face), "application/pdf", f"kartu-{kpj}.pdf")
