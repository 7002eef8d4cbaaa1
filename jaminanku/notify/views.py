"""The development outbox (/dev/outbox/): every email and SMS the system wrote, with its code, so a newcomer can
walk the sign-up without an SMTP server or SMS gateway. Only when DEBUG is on."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jaminanku.notify.models import OutboundMessage


@require_GET
def dev_outbox(request: HttpRequest) -> HttpResponse:
    if not settings.DEBUG:  # the URL is only routed in DEBUG; this guards against a copied urls.py
        raise Http404
    messages = OutboundMessage.objects.all()[:50]
    response = render(request, "notify/outbox.html", {"outbox": messages})
    response["Cache-Control"] = "no-store"
    return response
