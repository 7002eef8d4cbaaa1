"""Development-only pages of the outbox; routed by jaminanku/urls.py only when DEBUG is on."""

from django.urls import path

from jaminanku.notify.views import dev_outbox

app_name = "notify"

urlpatterns = [path("outbox/", dev_outbox, name="dev_outbox")]
