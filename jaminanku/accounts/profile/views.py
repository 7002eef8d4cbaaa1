"""Logout, forgot password, the member's account page, and their own changes of email, phone and password.
The login itself is in `login/views.py`."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from jaminanku.accounts import forms as f
from jaminanku.accounts import services
from jaminanku.accounts.models import MemberProfile
from jaminanku.accounts.recovery import services as recovery
from jaminanku.accounts.web import client_ip, show_error
from jaminanku.core.errors import DomainError
from jaminanku.core.masking import mask_email, mask_nik, mask_phone

RESET_EMAIL_KEY = "password_reset_email"


class LogoutView(auth_views.LogoutView):
    """POST logs out (Django's view); GET shows a button to do so, since logging out by a link is unsafe."""

    http_method_names = ["get", "post", "options"]
    template_name = "accounts/logout.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, self.template_name, {"nav": "account"})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        # The service worker keeps the member's card and balance for offline use; on a shared phone they must
        # not outlive the session, so the browser drops its caches and the worker with them.
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


def _member(request: HttpRequest) -> User:
    return cast(User, request.user)  # behind login_required


def _simple(request: HttpRequest, template: str, form: forms.Form, **context: Any) -> HttpResponse:
    return render(request, template, {"form": form, "nav": "account", **context})


# --- forgot password -----------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponse:
    form = f.ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.request_password_reset(email=form.cleaned_data["email"], client_ip=client_ip(request))
        except DomainError as exc:
            show_error(form, exc)
        else:
            request.session[RESET_EMAIL_KEY] = services.normalise_email(form.cleaned_data["email"])
            return redirect("accounts:password_reset_code")
    return _simple(request, "accounts/forgot_password.html", form)


@require_http_methods(["GET", "POST"])
def password_reset_code(request: HttpRequest) -> HttpResponse:
    email = request.session.get(RESET_EMAIL_KEY)
    if not email:
        return redirect("accounts:password_reset")
    form = f.ResetPasswordForm(request.POST or None)
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
    return _simple(request, "accounts/password_reset_code.html", form, email=email)


# --- the account page ----------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET"])
def account_page(request: HttpRequest) -> HttpResponse:
    """Akun: who is logged in (NIK, email and phone masked), the ways to change them, language, logout."""
    user = _member(request)
    profile = MemberProfile.objects.select_related("person").filter(user_id=user.pk).first()
    context: dict[str, Any] = {"nav": "account", "profile": profile, "name": user.get_full_name() or user.username}
    if profile is not None:
        context.update(
            name=profile.person.full_name,
            nik_masked=mask_nik(profile.person.nik),
            email_masked=mask_email(profile.email),
            phone_masked=mask_phone(profile.phone),
        )
    return render(request, "accounts/account.html", context)


# --- the member's own changes --------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def change_email(request: HttpRequest) -> HttpResponse:
    form = f.ChangeEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.request_email_change(
                user=_member(request),
                new_email=form.cleaned_data["email"],
                current_password=form.cleaned_data["current_password"],
                client_ip=client_ip(request),
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            request.session["pending_email"] = new
            return redirect("accounts:change_email_code")
    profile = MemberProfile.objects.filter(user_id=_member(request).pk).first()
    return _simple(request, "accounts/change_email.html", form, profile=profile)


@login_required
@require_http_methods(["GET", "POST"])
def change_email_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get("pending_email")
    if not pending:
        return redirect("accounts:change_email")
    form = f.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_email_change(user=_member(request), code=form.cleaned_data["code"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            request.session.pop("pending_email", None)
            messages.success(request, _("Email akun diganti."))
            return redirect("accounts:account")
    return _simple(
        request,
        "accounts/code.html",
        form,
        title=_("Verifikasi email baru"),
        lead=_("Kami mengirim kode 6 angka ke %(email)s.") % {"email": pending},
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_phone(request: HttpRequest) -> HttpResponse:
    form = f.ChangePhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.request_phone_change(
                user=_member(request),
                new_phone=form.cleaned_data["phone"],
                current_password=form.cleaned_data["current_password"],
                client_ip=client_ip(request),
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            request.session["pending_phone"] = new
            return redirect("accounts:change_phone_code")
    profile = MemberProfile.objects.filter(user_id=_member(request).pk).first()
    return _simple(request, "accounts/change_phone.html", form, profile=profile)


@login_required
@require_http_methods(["GET", "POST"])
def change_phone_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get("pending_phone")
    if not pending:
        return redirect("accounts:change_phone")
    form = f.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_phone_change(user=_member(request), code=form.cleaned_data["code"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            request.session.pop("pending_phone", None)
            messages.success(request, _("Nomor HP akun diganti."))
            return redirect("accounts:account")
    return _simple(
        request,
        "accounts/code.html",
        form,
        title=_("Verifikasi nomor HP baru"),
        lead=_("Kami mengirim kode 6 angka lewat SMS ke %(phone)s.") % {"phone": pending},
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    form = f.ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                user=_member(request),
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["password"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            update_session_auth_hash(request, _member(request))  # this session stays; every other one ends
            messages.success(request, _("Kata sandi diganti. Sesi di perangkat lain sudah diakhiri."))
            return redirect("accounts:account")
    return _simple(request, "accounts/change_password.html", form)
