"""A forgotten password (a code to the account's email), and way (c) out of "data sudah terdaftar": asking the
agency to reset the old account, and following the request by its tracking number."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from jaminanku.accounts import selectors, services
from jaminanku.accounts.models import AccountResetRequest, SignupFlow
from jaminanku.accounts.recovery import resets
from jaminanku.accounts.recovery import services as recovery
from jaminanku.accounts.recovery.forms import ForgotPasswordForm, ResetPasswordForm, ResetRequestForm, ResetStatusForm
from jaminanku.accounts.signup.views import SESSION_KEY, session_flow, step_url
from jaminanku.accounts.web import client_ip, show_error
from jaminanku.core.errors import DomainError

RESET_EMAIL_KEY = "password_reset_email"


@require_http_methods(["GET", "POST"])
def request_reset(request: HttpRequest) -> HttpResponse:
    flow = session_flow(request)
    if flow is None:
        messages.info(request, _("Reset akun diajukan dari layar “data sudah terdaftar” pendaftaran."))
        return redirect("accounts:signup")
    if flow.step != SignupFlow.Step.REGISTERED:
        return redirect(step_url(flow))
    form = ResetRequestForm(request.POST or None, initial={"contact_email": flow.email})
    if request.method == "POST" and form.is_valid():
        try:
            reset = resets.request_account_reset(
                flow=flow,
                contact_email=form.cleaned_data["contact_email"],
                contact_phone=form.cleaned_data["contact_phone"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("Permintaan reset akun diterima. Simpan nomor pelacakan Anda."))
            return redirect(reverse("accounts:reset_status") + f"?nomor={reset.tracking_number}")
    return render(request, "accounts/reset/request.html", {"form": form, "nav": "account"})


@require_http_methods(["GET"])
def reset_status(request: HttpRequest) -> HttpResponse:
    form = ResetStatusForm(request.GET or None)
    reset: AccountResetRequest | None = None
    if form.is_bound and form.is_valid():
        try:
            reset = selectors.reset_request_by_tracking_number(form.cleaned_data["nomor"])
        except DomainError as exc:
            form.add_error("nomor", str(exc.message))
    response = render(
        request,
        "accounts/reset/status.html",
        {"form": form, "reset": reset, "today": timezone.localdate(), "nav": "account"},
        status=404 if form.is_bound and form.errors else 200,
    )
    response["Cache-Control"] = "private, no-store"  # opened without a session too, which the middleware skips
    return response


# --- forgot password -----------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponse:
    form = ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.request_password_reset(email=form.cleaned_data["email"], client_ip=client_ip(request))
        except DomainError as exc:
            show_error(form, exc)
        else:
            request.session[RESET_EMAIL_KEY] = services.normalise_email(form.cleaned_data["email"])
            return redirect("accounts:password_reset_code")
    return render(request, "accounts/forgot_password.html", {"form": form, "nav": "account"})


@require_http_methods(["GET", "POST"])
def password_reset_code(request: HttpRequest) -> HttpResponse:
    email = request.session.get(RESET_EMAIL_KEY)
    if not email:
        return redirect("accounts:password_reset")
    form = ResetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.reset_password(
                email=email, code=form.cleaned_data["code"], new_password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            request.session.pop(RESET_EMAIL_KEY, None)
            messages.success(request, _("Kata sandi diganti. Silakan masuk dengan kata sandi baru."))
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_code.html", {"form": form, "nav": "account", "email": email})
