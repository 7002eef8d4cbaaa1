"""Claim writes shared by every channel. `pay_jht_claim` is the counter's pay-at-once path kept for the ledger
tests and tools: it checks the rules, posts the ledger entry and records a paid branch claim, with its withholding
slip number, in one transaction.
Member and staff flows go through online.py, desk.py and payouts, which move claims with transitions.move."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from jaminanku.claims.models import JhtClaim
from jaminanku.claims.payouts.settle import tax_slip_number
from jaminanku.claims.references import new_reference
from jaminanku.claims.selectors import eligibility_for
from jaminanku.claims.transitions import record_start
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
                claim = JhtClaim.objects.create(
                    reference=new_reference(),
                    membership=membership,
                    person=membership.person,
                    kind=kind,
                    ground=getattr(option, "ground", ""),
                    channel=JhtClaim.Channel.BRANCH,
                    state=JhtClaim.State.PAID,
                    gross=option.gross,
                    tax=option.tax,
                    paid_on=paid_on,
                    entry=entry,
                    actor=actor if getattr(actor, "pk", None) else None,
                )
                # numbered from the id, as a claim paid through a batch is (settle), so its slip can be drawn
                claim.tax_slip_number = tax_slip_number(claim, paid_on)
                claim.save(update_fields=["tax_slip_number"])
        except IntegrityError as exc:
            raise DomainError(
                _("Klaim sebagian hanya dapat diambil satu kali."), code="partial_already_claimed"
            ) from exc
        record_start(claim, actor=actor)
        return claim
