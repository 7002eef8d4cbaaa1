"""Reads for the payments pages: what waits to be paid, the batches, and one batch's payments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum

from jaminanku.claims.models import Disbursement, DisbursementBatch, JhtClaim


@dataclass(frozen=True)
class Waiting:
    count: int
    gross: int
    net: int
    returned: int  # failed payments waiting for the member's corrected account


def waiting() -> Waiting:
    row = JhtClaim.objects.filter(state=JhtClaim.State.APPROVED).aggregate(
        n=Count("id"), total_gross=Sum("gross"), total_net=Sum(F("gross") - F("tax"))
    )
    returned = JhtClaim.objects.filter(state=JhtClaim.State.RETURNED).count()
    return Waiting(row["n"] or 0, row["total_gross"] or 0, row["total_net"] or 0, returned)


def batches(limit: int = 50) -> QuerySet[DisbursementBatch]:
    return (
        DisbursementBatch.objects.select_related("created_by")
        .annotate(
            payments=Count("disbursements"),
            total=Sum("disbursements__amount"),
            paid=Count("disbursements", filter=Q(disbursements__status=Disbursement.Status.PAID)),
            failed=Count("disbursements", filter=Q(disbursements__status=Disbursement.Status.FAILED)),
        )
        .order_by("-created_at", "-pk")[:limit]
    )


def batch_payments(batch: DisbursementBatch) -> QuerySet[Disbursement]:
    return batch.disbursements.select_related("claim", "heir").order_by("pk")
