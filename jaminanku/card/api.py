"""Card endpoints of the JSON API: verification of a scanned token (anonymous)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from jaminanku.card.selectors import verify_token
from jaminanku.core.api_schemas import errors
from jaminanku.core.errors import NotFound

router = Router(tags=["card"])


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
