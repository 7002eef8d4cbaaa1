"""Writes to the JHT ledger other than bulk posting — claims and reversals — and the reconciliation that proves
every running balance equals the sum of its entries.

Every entry moves its Account's balance and totals in the same transaction with relative (F()) updates, under a
row lock on the account, so a balance read is one row whatever the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.audit.services import record_event
from jaminanku.contributions.models import Account, Contribution, JhtEntry
from jaminanku.contributions.posting import recompute_paid_runs
from jaminanku.core.errors import DomainError
from jaminanku.core.money import format_rupiah
from jaminanku.registry.models import Membership

COMPONENTS = ("employer_amount", "worker_amount", "development_amount", "claim_amount")
# The Account total that each entry component moves.
TOTAL_OF = {
    "employer_amount": "employer_total",
    "worker_amount": "worker_total",
    "development_amount": "development_total",
    "claim_amount": "claims_total",
}


def _move_account(account_id: int, entry: JhtEntry) -> None:
    changes: dict[str, Any] = {"balance": F("balance") + entry.amount}
    for component, total in TOTAL_OF.items():
        value = getattr(entry, component)
        if value:
            changes[total] = F(total) + value
    Account.objects.filter(pk=account_id).update(**changes)


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def post_jht_claim(*, membership: Membership, amount: int, paid_on: date, reason: str, actor: Any = None) -> JhtEntry:
    """Pays `amount` out of the member's JHT account (a negative claim entry dated `paid_on`). Whether the member
    may claim is the claims rules' business; this only refuses an amount the balance does not cover."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise DomainError(_("Jumlah klaim harus bilangan bulat positif."), code="claim_amount_invalid", field="amount")
    with transaction.atomic():
        account = Account.objects.select_for_update().filter(membership=membership).first()
        if account is None or account.balance < amount:
            balance = account.balance if account else 0
            raise DomainError(
                _("Saldo JHT (%(balance)s) tidak cukup untuk klaim %(amount)s.")
                % {"balance": format_rupiah(balance), "amount": format_rupiah(amount)},
                code="claim_exceeds_balance",
                field="amount",
            )
        entry = JhtEntry.objects.create(
            account=account,
            kind=JhtEntry.Kind.CLAIM,
            value_date=paid_on,
            claim_amount=-amount,
            amount=-amount,
            note=reason[:255],
        )
        _move_account(account.pk, entry)
        if _actor(actor) is not None:
            record_event(
                "post_jht_claim",
                instance=entry,
                after={"kpj": membership.kpj, "amount": amount, "paid_on": paid_on, "reason": reason},
                actor=actor,
            )
    return entry


def reverse_entry(*, entry: JhtEntry, reason: str, actor: Any = None) -> JhtEntry:
    """Posts the mirror image of `entry` (same value date, every component negated). An entry is reversed at
    most once (the database refuses a second reversal); reversing a contribution entry also marks the
    contribution reversed, which frees its month for a corrected posting."""
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=entry.account_id)
        original = JhtEntry.objects.get(pk=entry.pk)
        if original.kind == JhtEntry.Kind.REVERSAL:
            raise DomainError(_("Pembatalan tidak dapat dibatalkan lagi."), code="reverse_reversal")
        if JhtEntry.objects.filter(reverses=original).exists():
            raise DomainError(_("Mutasi ini sudah dibatalkan."), code="already_reversed")
        if account.balance - original.amount < 0:
            raise DomainError(
                _("Pembatalan akan membuat saldo JHT negatif (saldo %(balance)s).")
                % {"balance": format_rupiah(account.balance)},
                code="reversal_exceeds_balance",
            )
        reversal = JhtEntry(
            account=account,
            kind=JhtEntry.Kind.REVERSAL,
            value_date=original.value_date,
            reverses=original,
            note=reason[:255],
            **{component: -getattr(original, component) for component in COMPONENTS},
        )
        reversal.amount = -original.amount
        try:
            with transaction.atomic():
                reversal.save()
        except IntegrityError as exc:  # a concurrent reversal won the race
            raise DomainError(_("Mutasi ini sudah dibatalkan."), code="already_reversed") from exc
        _move_account(account.pk, reversal)
        if original.contribution_id:
            Contribution.objects.filter(pk=original.contribution_id).update(reversed_at=timezone.now())
            recompute_paid_runs([account.pk])
        if _actor(actor) is not None:
            record_event(
                "reverse_jht_entry",
                instance=reversal,
                before={"entry": original.pk, "amount": original.amount},
                after={"reversal": reversal.pk, "amount": reversal.amount, "reason": reason},
                actor=actor,
            )
    return reversal


def reverse_contribution(*, contribution: Contribution, reason: str, actor: Any = None) -> Contribution:
    """Reverses a posted contribution: its JHT entry if it has one, else only marks it reversed (a BPU member
    without JHT). The month may then be posted again with the corrected wage."""
    entry = JhtEntry.objects.filter(contribution=contribution).first()
    if entry is not None:
        reverse_entry(entry=entry, reason=reason, actor=actor)
    else:
        with transaction.atomic():
            updated = Contribution.objects.filter(pk=contribution.pk, reversed_at__isnull=True).update(
                reversed_at=timezone.now()
            )
            if not updated:
                raise DomainError(_("Iuran ini sudah dibatalkan."), code="already_reversed")
            account_id = Account.objects.filter(membership_id=contribution.membership_id).values_list("id", flat=True)
            recompute_paid_runs(account_id)
            if _actor(actor) is not None:
                record_event("reverse_contribution", instance=contribution, after={"reason": reason}, actor=actor)
    contribution.refresh_from_db()
    return contribution


# --- reconciliation -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unreconciled:
    account_id: int
    kpj: str
    recorded: dict[str, int]
    from_entries: dict[str, int]

    @property
    def differences(self) -> dict[str, tuple[int, int]]:
        return {
            name: (self.recorded[name], self.from_entries[name])
            for name in self.recorded
            if self.recorded[name] != self.from_entries[name]
        }


RECONCILED_FIELDS = ("balance", "employer_total", "worker_total", "development_total", "claims_total")


def find_unreconciled_accounts() -> list[Unreconciled]:
    """Accounts whose balance or totals differ from the sums of their entries, in one GROUP BY query."""
    account = Account._meta.db_table
    entry = JhtEntry._meta.db_table
    membership = Membership._meta.db_table
    sums = ", ".join(
        f"COALESCE(s.{name}, 0)"
        for name in ("amount", "employer_amount", "worker_amount", "development_amount", "claim_amount")
    )
    checks = " OR ".join(
        f"a.{total} <> COALESCE(s.{component}, 0)"
        for total, component in zip(
            RECONCILED_FIELDS,
            ("amount", "employer_amount", "worker_amount", "development_amount", "claim_amount"),
            strict=True,
        )
    )
    sql = f"""
        SELECT a.id, m.kpj, a.balance, a.employer_total, a.worker_total, a.development_total, a.claims_total, {sums}
        FROM {account} a
        JOIN {membership} m ON m.id = a.membership_id
        LEFT JOIN (
            SELECT account_id, SUM(amount) AS amount, SUM(employer_amount) AS employer_amount,
                   SUM(worker_amount) AS worker_amount, SUM(development_amount) AS development_amount,
                   SUM(claim_amount) AS claim_amount
            FROM {entry} GROUP BY account_id
        ) s ON s.account_id = a.id
        WHERE {checks}
        ORDER BY a.id
    """  # noqa: S608 - table names come from model metadata
    found = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for row in cursor.fetchall():
            recorded = dict(zip(RECONCILED_FIELDS, (int(v) for v in row[2:7]), strict=True))
            summed = dict(zip(RECONCILED_FIELDS, (int(v) for v in row[7:12]), strict=True))
            found.append(Unreconciled(account_id=row[0], kpj=row[1], recorded=recorded, from_entries=summed))
    return found
