"""Way (c) out of "data sudah terdaftar": asking the agency to reset the old account, and following the request
by its tracking number."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from jaminanku.accounts import forms as f
from jaminanku.accounts import selectors
from jaminanku.accounts.models import AccountResetRequest, SignupFlow
from jaminanku.accounts.recovery import resets
from jaminanku.accounts.signup.views import SESSION_KEY, session_flow, step_url
from jaminanku.accounts.web import show_error
from jaminanku.core.errors import DomainError


@require_http_methods(["GET", "POST"])
def request_reset(request: HttpRequest) -> HttpResponse:
    flow = session_flow(request)
    if flow is None:
        messages.info(request, _("Reset akun diajukan dari layar “data sudah terdaftar” pendaftaran."))
        return redirect("accounts:signup")
    if flow.step != SignupFlow.Step.REGISTERED:
        return redirect(step_url(flow))
    form = f.ResetRequestForm(request.POST or None, initial={"contact_email": flow.email})
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
    form = f.ResetStatusForm(request.GET or None)
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
