"""Card pages: the member's own cards (screen, PNG, PDF), verifying a scanned card (public) and the agency's
public key (public)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from jaminanku.accounts.access import MemberRequest, member_required, membership_of
from jaminanku.card.render import CardFace, card_pdf, card_png
from jaminanku.card.selectors import card_face, card_text, verify_token
from jaminanku.card.signing import public_key_pem
from jaminanku.core.errors import NotFound
from jaminanku.core.http import file_response


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    result = verify_token(token)
    response = render(
        request, "card/verify.html", {"result": result, "nav": "card"}, status=200 if result.genuine else 404
    )
    response["Cache-Control"] = "private, no-store"  # opened without a session too, which the middleware skips
    return response


@require_GET
@cache_control(max_age=3600, public=True)
def public_key(request: HttpRequest) -> HttpResponse:
    return HttpResponse(public_key_pem(), content_type="application/x-pem-file")


def _face(request: MemberRequest, kpj: str) -> CardFace:
    try:
        membership = membership_of(request.person, kpj)
    except NotFound:
        raise Http404 from None
    return card_face(membership, base_url=request.build_absolute_uri("/"))


@require_GET
@member_required
def my_cards(request: MemberRequest) -> HttpResponse:
    """Every KPJ's card; the service worker keeps this page and the images for use without a network."""
    memberships = request.person.memberships.order_by("-registered_on", "kpj")
    today = timezone.localdate()
    return render(
        request,
        "card/my_cards.html",
        {
            "nav": "card",
            "cards": [card_text(membership, today=today) for membership in memberships.select_related("person")],
            "rendered_at": timezone.localtime(),
        },
    )


@require_GET
@member_required
def card_image(request: MemberRequest, kpj: str) -> HttpResponse:
    face = _face(request, kpj)
    # the card page shows the image inline and the service worker keeps it; ?unduh=1 downloads it
    return file_response(card_png(face), "image/png", f"kartu-{face.kpj}.png", attachment="unduh" in request.GET)


@require_GET
@member_required
def card_document(request: MemberRequest, kpj: str) -> HttpResponse:
    face = _face(request, kpj)
    return file_response(card_pdf(face), "application/pdf", f"kartu-{face.kpj}.pdf")
