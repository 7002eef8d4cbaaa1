"""What a logged-in member's own record says for the calculators: the last wage and risk class, the JHT balance,
the years left to pension age, and the JP months and average wage so far. Used only to prefill the forms; the
member can change every figure."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils import timezone

from jaminanku.contributions.models import Account, Contribution
from jaminanku.contributions.rates import PensionAges
from jaminanku.registry.models import Person


def calculator_defaults(person: Person, *, today: date | None = None) -> dict[str, dict[str, Any]]:
    """Initial values per calculator form prefix ("iuran", "jht", "jp", "jkm"); empty when nothing is known."""
    today = today or timezone.localdate()
    paid = Contribution.objects.filter(membership__person=person, reversed_at__isnull=True)
    last = paid.order_by("-period").values("wage", "risk_class").first()
    balance = sum(Account.objects.filter(membership__person=person).values_list("balance", flat=True))
    jp = paid.aggregate(months=Count("id", filter=Q(jp_base__gt=0)), wage=Avg("jp_base", filter=Q(jp_base__gt=0)))
    pension_on = PensionAges().pension_date(person.date_of_birth)
    years_left = max(1, pension_on.year - today.year) if pension_on else None
    defaults: dict[str, dict[str, Any]] = {"iuran": {}, "jht": {"balance": balance}, "jp": {}, "jkm": {}}
    if last is not None:
        defaults["iuran"] = {"wage": last["wage"], "risk_class": last["risk_class"] or 1}
        defaults["jht"]["wage"] = last["wage"]
        defaults["jkm"] = {"wage": last["wage"]}
    if years_left is not None:
        defaults["jht"]["years"] = min(years_left, 50)
    if jp["months"]:
        defaults["jp"] = {"months": min(jp["months"], 600), "wage": round(jp["wage"])}
    return defaults
