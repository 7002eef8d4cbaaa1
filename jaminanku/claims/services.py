"""Paying a JHT claim: checks the rules, posts the ledger entry and records the claim, in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from jaminanku.claims.models import JhtClaim
from jaminanku.claims.selectors import eligibility_for
from jaminanku.contributions.services import post_jht_claim
from jaminanku.core.errors import DomainError
from jaminanku.registry.models import Membership


def pay_jht_claim(*, membership: Membership, kind: str, paid_on: date, actor: Any = None) -> JhtClaim:
    with transaction.atomic():
        answer = eligibility_for(membership, today=paid_on)
        option = next((o for o in answer.options if o.kind == kind), None)
        if option is None:
            raise DomainError(" ".join(answer.reasons) or _("Klaim ini belum dapat diajukan."), code="not_eligible")
        entry = post_jht_claim(
            membership=membership,
            amount=option.gross,
            paid_on=paid_on,
            reason=str(JhtClaim.Kind(kind).label),
            actor=actor,
        )
        try:
            with transaction.atomic():
                return JhtClaim.objects.create(
                    membership=membership,
                    person=membership.person,
                    kind=kind,
                    gross=option.gross,
                    tax=option.tax,
                    paid_on=paid_on,
                    entry=entry,
                    actor=actor if getattr(actor, "pk", None) else None,
                )
        except IntegrityError as exc:
            raise DomainError(
                _("Klaim sebagian hanya dapat diambil satu kali."), code="partial_already_claimed"
            ) from exc
