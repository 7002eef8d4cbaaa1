"""The staff dashboard page; the work itself happens in the back office (admin) and the queue page."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jaminanku.audit.services import record_list_view
from jaminanku.backoffice.selectors import dashboard


@require_GET
@staff_member_required
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    board = dashboard(request.user, today=timezone.localdate())
    # the reset requests shown carry members' names (UU 27/2022)
    record_list_view(
        object_type="accounts.AccountResetRequest", ids=[r.pk for r in board.resets_next], criteria={"page": "staf"}
    )
    return render(request, "backoffice/dashboard.html", {"board": board, "nav": ""})
