"""JHT claims paid: the record that remembers a person's one partial claim and links each payment to its
ledger entry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JhtClaim(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", _("Klaim 100%")
        PARTIAL_10 = "partial_10", _("Klaim sebagian 10%")
        PARTIAL_30 = "partial_30", _("Klaim sebagian 30% (perumahan)")

    membership = models.ForeignKey(
        "registry.Membership", verbose_name=_("kepesertaan"), related_name="jht_claims", on_delete=models.PROTECT
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("orang"), related_name="jht_claims", on_delete=models.PROTECT
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    gross = models.BigIntegerField(_("bruto"))
    tax = models.BigIntegerField(_("PPh 21"))
    paid_on = models.DateField(_("dibayar"))
    entry = models.OneToOneField(
        "contributions.JhtEntry", verbose_name=_("mutasi"), related_name="claim_record", on_delete=models.PROTECT
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("petugas"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("klaim JHT")
        verbose_name_plural = _("klaim JHT")
        constraints = [
            # A partial claim is allowed once per person, whatever the KPJ.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind__in=["partial_10", "partial_30"]),
                name="one_partial_claim_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.membership_id} {self.paid_on:%d/%m/%Y}"
