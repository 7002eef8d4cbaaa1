"""Sign-up pages: one question per screen, in the seed's order. The flow lives on the server (its id is in the
session), so a reload, the back button or the link in the email lands on the step the flow is at."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from jaminanku.accounts import selectors
from jaminanku.accounts.forms import CodeForm
from jaminanku.accounts.models import SignupFlow
from jaminanku.accounts.recovery import services as recovery
from jaminanku.accounts.recovery.forms import ResetPasswordForm
from jaminanku.accounts.signup import flow as signup
from jaminanku.accounts.signup.forms import (
    BirthDateForm,
    EmailForm,
    KpjForm,
    NameForm,
    NikForm,
    PasswordForm,
    PhoneForm,
    SegmentForm,
)
from jaminanku.accounts.web import MODEL_BACKEND, client_ip, show_error
from jaminanku.core.errors import DomainError

Step = SignupFlow.Step
SESSION_KEY = "signup_flow"
NEXT = _("SELANJUTNYA")
VERIFY = _("VERIFIKASI")


@dataclass(frozen=True)
class StepPage:
    slug: str
    form: type[forms.Form]
    title: Any
    button: Any
    submit: Callable[[HttpRequest, SignupFlow, dict[str, Any]], SignupFlow]
    number: int | None = None  # "Langkah n dari 9"; None off the main path
    resend: Callable[..., SignupFlow] | None = None
    lead: Any = ""


PAGES: dict[str, StepPage] = {
    Step.EMAIL_CODE: StepPage(
        "kode-email",
        CodeForm,
        _("Verifikasi email"),
        VERIFY,
        lambda r, fl, d: signup.verify_email_code(flow=fl, code=d["code"]),
        1,
        signup.resend_email_code,
        _("Kami mengirim kode 6 angka ke %(email)s. Periksa kotak masuk (atau folder spam)."),
    ),
    Step.SEGMENT: StepPage(
        "kepesertaan",
        SegmentForm,
        _("Pilih Kepesertaan"),
        NEXT,
        lambda r, fl, d: signup.choose_segment(flow=fl, segment=d["segment"]),
        2,
    ),
    Step.NAME: StepPage(
        "nama",
        NameForm,
        _("Nama lengkap"),
        NEXT,
        lambda r, fl, d: signup.give_name(flow=fl, full_name=d["full_name"]),
        3,
    ),
    Step.BIRTH_DATE: StepPage(
        "tanggal-lahir",
        BirthDateForm,
        _("Tanggal lahir"),
        NEXT,
        lambda r, fl, d: signup.give_birth_date(flow=fl, date_of_birth=d["date_of_birth"]),
        4,
    ),
    Step.NIK: StepPage("nik", NikForm, _("NIK"), NEXT, lambda r, fl, d: signup.give_nik(flow=fl, nik=d["nik"]), 5),
    Step.KPJ: StepPage(
        "kpj",
        KpjForm,
        _("Nomor KPJ"),
        NEXT,
        lambda r, fl, d: signup.give_kpj(flow=fl, kpj=d["kpj"], client_ip=client_ip(r)),
        6,
        None,
        _("Nomor KPJ tertera di kartu BPJS Ketenagakerjaan Anda (11 angka)."),
    ),
    Step.PHONE: StepPage(
        "nomor-hp",
        PhoneForm,
        _("Nomor HP"),
        NEXT,
        lambda r, fl, d: signup.give_phone(flow=fl, phone=d["phone"], client_ip=client_ip(r)),
        7,
    ),
    Step.PHONE_CODE: StepPage(
        "kode-sms",
        CodeForm,
        _("Verifikasi nomor HP"),
        VERIFY,
        lambda r, fl, d: signup.verify_phone_code(flow=fl, code=d["code"]),
        8,
        signup.resend_phone_code,
        _("Kami mengirim kode 6 angka lewat SMS ke %(phone)s."),
    ),
    Step.PASSWORD: StepPage(
        "kata-sandi",
        PasswordForm,
        _("Buat kata sandi"),
        _("DAFTAR"),
        lambda r, fl, d: signup.set_password(flow=fl, password=d["password"]),
        9,
        None,
        _("Ingat baik-baik email dan kata sandi ini."),
    ),
    Step.RECOVERY_CODE: StepPage(
        "pemulihan-kode",
        CodeForm,
        _("Pulihkan akun lewat nomor HP"),
        VERIFY,
        lambda r, fl, d: recovery.verify_recovery_code(flow=fl, code=d["code"]),
        None,
        recovery.resend_recovery_code,
        _("Kami mengirim kode 6 angka lewat SMS ke nomor HP akun lama Anda (%(old_phone)s)."),
    ),
    Step.RECOVERY_PASSWORD: StepPage(
        "pemulihan-sandi",
        PasswordForm,
        _("Kata sandi baru"),
        _("SIMPAN"),
        lambda r, fl, d: recovery.finish_recovery(flow=fl, password=d["password"]),
        None,
        None,
        _("Akun lama Anda akan memakai email %(email)s dan kata sandi baru ini. Semua sesi lama akan berakhir."),
    ),
}
SLUGS = {page.slug: step for step, page in PAGES.items()}
SPECIAL_URLS: dict[str, str] = {
    Step.EMAIL: "accounts:signup",
    Step.REGISTERED: "accounts:signup_registered",
    Step.RESET_REQUESTED: "accounts:reset_status",
}


def step_url(flow: SignupFlow) -> str:
    if flow.step in PAGES:
        return reverse("accounts:signup_step", args=[PAGES[flow.step].slug])
    if flow.step == Step.RESET_REQUESTED and flow.reset_request_id:
        return reverse("accounts:reset_status") + f"?nomor={flow.reset_request.tracking_number}"  # type: ignore[union-attr]
    return reverse(SPECIAL_URLS.get(flow.step, "member:home"))


def session_flow(request: HttpRequest) -> SignupFlow | None:
    """The session's flow, or None (with a message) when there is none or it has run out."""
    flow_id = request.session.get(SESSION_KEY)
    if not flow_id:
        return None
    try:
        return signup.load_flow(flow_id)
    except DomainError as exc:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, str(exc.message))
        return None


def _reload(flow: SignupFlow) -> SignupFlow | None:
    try:
        return signup.load_flow(flow.pk)
    except DomainError:
        return None


def _answers(flow: SignupFlow) -> dict[str, Any]:
    return {
        "email": flow.email,
        "segment": flow.segment,
        "full_name": flow.full_name,
        "date_of_birth": flow.date_of_birth,
        "nik": flow.nik,
        "kpj": flow.kpj,
        "phone": flow.phone,
    }


def _finish(request: HttpRequest, flow: SignupFlow) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    if flow.user is not None:
        login(request, flow.user, backend=MODEL_BACKEND)
    messages.success(request, _("Selamat, akun Anda sudah aktif."))
    return redirect("member:home")


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Step 1: the email. Resumes a flow already in the session unless the member asks for a fresh start."""
    if request.GET.get("baru"):
        request.session.pop(SESSION_KEY, None)
    flow = session_flow(request)
    if flow is not None and flow.step != Step.EMAIL and request.method == "GET":
        return redirect(step_url(flow))
    form = EmailForm(request.POST or None, initial={"email": flow.email if flow else ""})
    if request.method == "POST" and form.is_valid():
        try:
            address, email = client_ip(request), form.cleaned_data["email"]
            if flow is not None and flow.step == Step.EMAIL:
                flow = signup.give_email(flow=flow, email=email, client_ip=address)
            else:
                flow = signup.start_signup(email=email, client_ip=address)
        except DomainError as exc:
            show_error(form, exc)
        else:
            request.session[SESSION_KEY] = flow.pk
            return redirect(step_url(flow))
    return render(request, "accounts/signup/email.html", {"form": form, "nav": "account", "number": 1, "of": 9})


@require_http_methods(["GET"])
def resume(request: HttpRequest, flow_id: str) -> HttpResponse:
    """The link in the code email: continues the flow in this browser."""
    try:
        flow = signup.load_flow(flow_id)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("accounts:signup")
    if flow.step in (Step.DONE, Step.RESET_REQUESTED):
        return redirect("accounts:login")
    request.session[SESSION_KEY] = flow.pk
    return redirect(step_url(flow))


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in SLUGS:
        raise Http404
    flow = session_flow(request)
    if flow is None:
        return redirect("accounts:signup")
    if flow.step != SLUGS[slug]:
        return redirect(step_url(flow))
    page = PAGES[flow.step]
    form = page.form(initial=_answers(flow))
    if request.method == "POST":
        answered = _answer_step(request, flow, page)
        if isinstance(answered, HttpResponse):
            return answered
        form = answered
    return render(
        request,
        "accounts/signup/step.html",
        {
            "form": form,
            "page": page,
            "flow": flow,
            "lead": _lead(page, flow),
            "can_resend": page.resend is not None,
            "nav": "account",
            "of": 9,
        },
    )


def _answer_step(request: HttpRequest, flow: SignupFlow, page: StepPage) -> HttpResponse | forms.Form:
    """A step's POST (back, resend, or the answer): where to go next, or the answered form with its errors."""
    form: forms.Form | None = None
    try:
        if "back" in request.POST:
            return redirect(step_url(signup.go_back(flow=flow)))
        if "resend" in request.POST and page.resend is not None:
            page.resend(flow=flow)
            messages.success(request, _("Kode baru sudah dikirim."))
            return redirect(step_url(flow))
        form = page.form(request.POST)
        if form.is_valid():
            flow = page.submit(request, flow, form.cleaned_data)
            if flow.step == Step.DONE:
                return _finish(request, flow)
            return redirect(step_url(flow))
    except DomainError as exc:
        current = _reload(flow)
        if current is None or current.step != flow.step or form is None:
            # the flow ran out or moved on (e.g. the email turned out to have an account): say why, then go
            # to where it is now
            messages.error(request, str(exc.message))
            if current is None:
                request.session.pop(SESSION_KEY, None)
                return redirect("accounts:signup")
            return redirect(step_url(current))
        show_error(form, exc)
    return form


def _lead(page: StepPage, flow: SignupFlow) -> str:
    if not page.lead:
        return ""
    values = {"email": flow.email, "phone": flow.phone, "old_phone": ""}
    if flow.step == Step.RECOVERY_CODE:
        # the old account may have closed meanwhile; the next answer will say so
        with contextlib.suppress(DomainError):
            values["old_phone"] = selectors.registered_account(flow=flow).phone_masked
    return str(page.lead) % values


@require_http_methods(["GET", "POST"])
def registered(request: HttpRequest) -> HttpResponse:
    """The seed's "data sudah terdaftar" screen with its three ways out."""
    flow = session_flow(request)
    if flow is None:
        return redirect("accounts:signup")
    if flow.step != Step.REGISTERED:
        return redirect(step_url(flow))
    try:
        old = selectors.registered_account(flow=flow)
        if request.method == "POST":
            action = request.POST.get("action")
            if "back" in request.POST:
                return redirect(step_url(signup.go_back(flow=flow)))
            if action == "reset_password":
                recovery.send_password_reset_for_flow(flow=flow, client_ip=client_ip(request))
                return redirect("accounts:signup_registered_password")
            if action == "recover_by_phone":
                return redirect(step_url(recovery.start_phone_recovery(flow=flow, client_ip=client_ip(request))))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        if exc.code == "old_account_gone":
            request.session.pop(SESSION_KEY, None)
            return redirect("accounts:signup")
        return redirect(request.path)
    return render(request, "accounts/signup/registered.html", {"flow": flow, "old": old, "nav": "account"})


@require_http_methods(["GET", "POST"])
def registered_password(request: HttpRequest) -> HttpResponse:
    """Way (a): the code sent to the old account's email and a new password for it."""
    flow = session_flow(request)
    if flow is None:
        return redirect("accounts:signup")
    if flow.step != Step.REGISTERED:
        return redirect(step_url(flow))
    try:
        old = selectors.registered_account(flow=flow)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        request.session.pop(SESSION_KEY, None)
        return redirect("accounts:signup")
    form = ResetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.reset_password_for_flow(
                flow=flow, code=form.cleaned_data["code"], new_password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request,
                _("Kata sandi diganti. Silakan masuk dengan email %(email)s.") % {"email": old.email_masked},
            )
            return redirect("accounts:login")
    return render(request, "accounts/signup/registered_password.html", {"form": form, "old": old, "nav": "account"})
