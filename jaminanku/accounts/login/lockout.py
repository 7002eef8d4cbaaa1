"""What a client locked out by django-axes (too many failed logins) sees: JSON with a stable code for the API,
an Indonesian page for the web (axes' own answer is an English sentence). Set as AXES_LOCKOUT_CALLABLE."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_STATUS = 429


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "code": "login_locked",
                "message": _("Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit atau atur ulang kata sandi."),
                "field": None,
            },
            status=LOCKED_STATUS,
        )
    return render(request, "accounts/locked_out.html", {"nav": "account"}, status=LOCKED_STATUS)
