"""The member's account page and their own changes of email, phone and password. Logging in and out is in
`login/views.py`, a forgotten password in `recovery/views.py`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from jaminanku.accounts import services
from jaminanku.accounts.forms import CodeForm
from jaminanku.accounts.models import MemberProfile
from jaminanku.accounts.profile import services as contact_changes
from jaminanku.accounts.profile.forms import ChangeEmailForm, ChangePasswordForm, ChangePhoneForm
from jaminanku.accounts.web import client_ip, show_error
from jaminanku.core.errors import DomainError
from jaminanku.core.masking import mask_email, mask_nik, mask_phone


def _member(request: HttpRequest) -> User:
    return cast(User, request.user)  # behind login_required


def _simple(request: HttpRequest, template: str, form: forms.Form, **context: Any) -> HttpResponse:
    return render(request, template, {"form": form, "nav": "account", **context})


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
@dataclass(frozen=True)
class _ContactPages:
    """The pages of a change of email or of phone: the form asking for it, then the code sent to the new one."""

    change: contact_changes.ContactChange
    form: type[forms.Form]
    template: str
    url: str
    code_url: str
    code_title: str | Promise
    code_lead: str | Promise  # formatted with the new value under the change's field name
    done: str | Promise

    @property
    def pending_key(self) -> str:
        return f"pending_{self.change.field}"


EMAIL_PAGES = _ContactPages(
    change=contact_changes.EMAIL_CHANGE,
    form=ChangeEmailForm,
    template="accounts/change_email.html",
    url="accounts:change_email",
    code_url="accounts:change_email_code",
    code_title=_("Verifikasi email baru"),
    code_lead=_("Kami mengirim kode 6 angka ke %(email)s."),
    done=_("Email akun diganti."),
)
PHONE_PAGES = _ContactPages(
    change=contact_changes.PHONE_CHANGE,
    form=ChangePhoneForm,
    template="accounts/change_phone.html",
    url="accounts:change_phone",
    code_url="accounts:change_phone_code",
    code_title=_("Verifikasi nomor HP baru"),
    code_lead=_("Kami mengirim kode 6 angka lewat SMS ke %(phone)s."),
    done=_("Nomor HP akun diganti."),
)


def _ask_new_contact(request: HttpRequest, pages: _ContactPages) -> HttpResponse:
    form = pages.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = contact_changes.request_change(
                pages.change,
                user=_member(request),
                new_value=form.cleaned_data[pages.change.field],
                current_password=form.cleaned_data["current_password"],
                client_ip=client_ip(request),
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            request.session[pages.pending_key] = new
            return redirect(pages.code_url)
    profile = MemberProfile.objects.filter(user_id=_member(request).pk).first()
    return _simple(request, pages.template, form, profile=profile)


def _confirm_new_contact(request: HttpRequest, pages: _ContactPages) -> HttpResponse:
    pending = request.session.get(pages.pending_key)
    if not pending:
        return redirect(pages.url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_changes.confirm_change(pages.change, user=_member(request), code=form.cleaned_data["code"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            request.session.pop(pages.pending_key, None)
            messages.success(request, str(pages.done))
            return redirect("accounts:account")
    lead = pages.code_lead % {pages.change.field: pending}
    return _simple(request, "accounts/code.html", form, title=pages.code_title, lead=lead)


@login_required
@require_http_methods(["GET", "POST"])
def change_email(request: HttpRequest) -> HttpResponse:
    return _ask_new_contact(request, EMAIL_PAGES)


@login_required
@require_http_methods(["GET", "POST"])
def change_email_code(request: HttpRequest) -> HttpResponse:
    return _confirm_new_contact(request, EMAIL_PAGES)


@login_required
@require_http_methods(["GET", "POST"])
def change_phone(request: HttpRequest) -> HttpResponse:
    return _ask_new_contact(request, PHONE_PAGES)


@login_required
@require_http_methods(["GET", "POST"])
def change_phone_code(request: HttpRequest) -> HttpResponse:
    return _confirm_new_contact(request, PHONE_PAGES)


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request.POST or None)
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
