"""Back office view of the outbox: what was sent to whom and why a message is still waiting."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from jaminanku.audit.admin_mixins import ReadOnlyAdminMixin
from jaminanku.audit.services import record_event
from jaminanku.notify.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "error_summary",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["to"]
    date_hierarchy = "created_at"
    # Bodies hold one-time codes: staff see who was written to and how delivery went, not the codes.
    exclude = ["body"]
    actions = ["retry_now"]

    @admin.display(description=_("galat terakhir"))
    def error_summary(self, obj: OutboundMessage) -> str:
        # why a message is waiting or was given up, short enough for the list; the full text is on its page
        return Truncator(obj.last_error).chars(80)

    @admin.action(description=_("Coba kirim lagi sekarang"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        failed = queryset.filter(status=OutboundMessage.Status.FAILED)
        for message in failed:
            record_event("notify.retry", instance=message)
        count = failed.update(status=OutboundMessage.Status.QUEUED, next_attempt_at=timezone.now())
        self.message_user(request, _("%(count)d pesan diantrekan lagi.") % {"count": count}, messages.SUCCESS)
