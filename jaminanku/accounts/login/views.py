"""Login in two steps (`twostep`): email and password (Django's view and form; axes throttles them), then, on a
device not trusted yet, a code by email or SMS or from an authenticator app at /masuk/kode/. The back office's
login (/admin/login/) is the same view with the admin's form and look, so staff go through the same second
step. Logging out is here too."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jaminanku.accounts.login import devices, twostep
from jaminanku.accounts.login.forms import LoginCodeForm, LoginForm
from jaminanku.accounts.models import LoginChallenge
from jaminanku.accounts.sessions import clients
from jaminanku.accounts.web import MODEL_BACKEND, show_error
from jaminanku.core.errors import DomainError

PENDING_KEY = "login_pending"
Method = twostep.Method


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form: Any = LoginForm
    redirect_authenticated_user = True
    extra_context: Any = {"nav": "account"}

    def form_valid(self, form: Any) -> HttpResponse:
        # reached only with a correct password: unknown emails and wrong passwords answer as before
        try:
            start = twostep.begin_login(user=form.get_user(), device_token=devices.token_from_cookie(self.request))
        except DomainError as exc:
            show_error(form, exc)
            return self.form_invalid(form)
        if start.user is not None:
            return super().form_valid(form)  # a trusted device: logged in now
        assert start.challenge is not None
        # also when no code could go out (resend wait, hourly limit): the code page says so and offers other ways
        self.request.session[PENDING_KEY] = {"challenge": start.challenge.id, "next": self.get_success_url()}
        return redirect("accounts:login_code")


class StaffLoginView(LoginView):
    """/admin/login/: the admin's form (staff accounts only) and page, our second step."""

    template_name = "admin/login.html"
    authentication_form = AdminAuthenticationForm
    redirect_authenticated_user = False  # a member logged in here must see the form, not loop through /admin/
    extra_context = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_active and request.user.is_staff:
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        return reverse("admin:index")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            admin.site.each_context(self.request),
            title=_("Masuk"),
            subtitle=None,
            app_path=self.request.get_full_path(),
            username=self.request.user.get_username(),
        )
        return context


def _back_to_login(request: HttpRequest, exc: DomainError) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    messages.error(request, str(exc.message))
    return redirect("accounts:login")


def _send_code(request: HttpRequest, challenge: LoginChallenge) -> HttpResponse:
    try:
        challenge = twostep.send_code(challenge_id=challenge.id, method=request.POST["kirim"])
    except DomainError as exc:
        if exc.code == "login_challenge_expired":
            return _back_to_login(request, exc)
        messages.error(request, str(exc.message))
    else:
        messages.info(request, _("Kode baru dikirim ke %(to)s.") % {"to": twostep.destination_masked(challenge)})
    return redirect("accounts:login_code")


def _finish_login(
    request: HttpRequest, challenge: LoginChallenge, form: LoginCodeForm, pending: dict[str, Any]
) -> HttpResponse | None:
    """Logs in with a right code; None when the form is to show again with the code's error."""
    try:
        user = twostep.finish_login(challenge_id=challenge.id, code=form.cleaned_data["code"])
    except DomainError as exc:
        if exc.code == "login_challenge_expired":
            return _back_to_login(request, exc)
        show_error(form, exc)
        return None
    request.session.pop(PENDING_KEY, None)
    auth_login(request, user, backend=MODEL_BACKEND)  # a new session id; axes resets its count
    response = redirect(pending.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL))
    if form.cleaned_data["trust"]:
        device, place = clients.describe(request)
        devices.set_cookie(response, devices.trust_device(user=user, device=device, place=place))
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or "challenge" not in pending:
        return redirect("accounts:login")
    try:
        challenge = twostep.challenge_for(pending["challenge"])
    except DomainError as exc:
        return _back_to_login(request, exc)
    form = LoginCodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("kirim"):  # email or SMS chosen, or a new code asked for
        return _send_code(request, challenge)
    elif request.method == "POST" and form.is_valid():
        finished = _finish_login(request, challenge, form, pending)
        if finished is not None:
            return finished
    others = [m for m in twostep.methods_for(challenge.user) if m != challenge.method]
    context = {
        "form": form,
        "nav": "account",
        "method": challenge.method,
        "status": twostep.code_status(challenge),
        "others": [(m, Method(m).label) for m in others],
    }
    return render(request, "accounts/login_code.html", context)


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
