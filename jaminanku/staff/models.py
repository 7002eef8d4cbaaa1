"""Staff users' place in the agency: the branch office a branch officer works at (scopes what they see)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffPost(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), related_name="staff_post", on_delete=models.CASCADE
    )
    office = models.ForeignKey(
        "offices.Office", verbose_name=_("kantor"), related_name="staff", on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("penempatan petugas")
        verbose_name_plural = _("penempatan petugas")

    def __str__(self) -> str:
        return f"{self.user} @ {self.office}"
