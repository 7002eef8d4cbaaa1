"""The member's security pages under /akun/: the authenticator app (turn on with a QR code and a first code, turn
off with the password and a code) and "Perangkat & sesi" (web sessions, API tokens and trusted devices, each of
which can be ended)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from jaminanku.accounts.forms import CodeForm
from jaminanku.accounts.login import devices, totp
from jaminanku.accounts.sessions import active_sessions
from jaminanku.accounts.sessions.forms import TotpOffForm
from jaminanku.accounts.web import show_error
from jaminanku.core.errors import DomainError


def _member(request: HttpRequest) -> User:
    return cast(User, request.user)  # behind login_required


# --- the authenticator app -------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def authenticator(request: HttpRequest) -> HttpResponse:
    """Off: a button to start. Started: the QR code, the secret as text and the first code. On: how to turn off."""
    user = _member(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("mulai"):
        try:
            totp.start_enrolment(user=user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("accounts:authenticator")
    if request.method == "POST" and form.is_valid():
        try:
            totp.confirm_enrolment(user=user, code=form.cleaned_data["code"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Aplikasi autentikator aktif. Saat masuk, kami akan meminta kodenya."))
            return redirect("accounts:account")
    context: dict[str, Any] = {"nav": "account", "form": form, "on": totp.has_totp(user)}
    pending = None if context["on"] else totp.pending_device(user)
    if pending is not None:
        context.update(pending=True, qr=totp.qr_data_uri(pending), secret=totp.secret_text(pending))
    return render(request, "accounts/authenticator.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def authenticator_off(request: HttpRequest) -> HttpResponse:
    form = TotpOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            totp.turn_off(
                user=_member(request),
                current_password=form.cleaned_data["current_password"],
                code=form.cleaned_data["code"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Aplikasi autentikator dimatikan. Kode masuk dikirim lewat email atau SMS."))
            return redirect("accounts:account")
    return render(request, "accounts/authenticator_off.html", {"nav": "account", "form": form})


# --- "Perangkat & sesi" ----------------------------------------------------------------------------------------
def _mine(request: HttpRequest) -> dict[str, Any]:
    return {
        "session_key": request.session.session_key,
        "device_token": devices.token_from_cookie(request),
    }


@login_required
@require_http_methods(["GET"])
def sign_ins(request: HttpRequest) -> HttpResponse:
    rows = active_sessions.sign_ins_for(user=_member(request), **_mine(request))
    context = {
        "nav": "account",
        "web": [r for r in rows if r.kind == "web"],
        "api": [r for r in rows if r.kind == "api"],
        "devices": [r for r in rows if r.kind == "device"],
    }
    return render(request, "accounts/sign_ins.html", context)


@login_required
@require_POST
def end_sign_in(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    kind, raw_id = request.POST.get("kind", ""), request.POST.get("id", "")
    try:
        if not raw_id.isdigit() or len(raw_id) > 18:
            raise DomainError(_("Sesi atau perangkat ini tidak ditemukan."), code="sign_in_not_found")
        active_sessions.end_sign_in(user=user, kind=kind, pk=int(raw_id))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("accounts:sign_ins")
    if request.session.session_key is None or not request.session.exists(request.session.session_key):
        logout(request)  # the member ended this very session
        return redirect("accounts:login")
    messages.success(request, _("Sesi diakhiri."))
    return redirect("accounts:sign_ins")


@login_required
@require_POST
def end_other_sign_ins(request: HttpRequest) -> HttpResponse:
    ended = active_sessions.end_other_sign_ins(user=_member(request), **_mine(request))
    messages.success(request, _("%(count)s sesi dan perangkat lain diakhiri.") % {"count": ended})
    return redirect("accounts:sign_ins")
