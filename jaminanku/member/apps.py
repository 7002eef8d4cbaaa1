from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MemberConfig(AppConfig):
    name = "jaminanku.member"
    label = "member"
    verbose_name = _("Layanan peserta")
