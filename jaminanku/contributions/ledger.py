"""Writes to the JHT ledger other than bulk posting — claims and reversals — and the reconciliation that proves
every running balance equals the sum of its lines.

The ledger's lines are the entries (development, claims, reversals) and the contributions themselves: a
contribution's JHT columns, dated the first day of its period, are its line (`ledger_lines_sql`), so posting
writes one row per member and month. Every line moves its Account's balance and totals in the same transaction
with relative (F()) updates, under a row lock on the account, so a balance read is one row whatever the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.audit.services import record_event
from jaminanku.contributions.models import Account, ArchivedYearTotal, Contribution, JhtEntry
from jaminanku.contributions.posting import recompute_paid_runs
from jaminanku.core.bulk import AnyOf, batched, max_params
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


def ledger_lines_sql(
    *,
    entries_where: str = "TRUE",
    contributions_where: str = "TRUE",
    tables: tuple[str, str] | None = None,
) -> str:
    """SQL for the JHT ledger's lines, one per entry and one per contribution with a JHT part (reversed ones too:
    their reversal entries take them out again): account_id, kind, value_date, employer_amount, worker_amount,
    development_amount, claim_amount, amount. The conditions filter the entries (alias e) and the contributions
    (alias c, joined to their account as a) before the union, where their indexes serve them. `tables` (entries,
    contributions) reads other tables of the same shape instead: a detached year's (`contributions.archive`)."""
    entry, contribution = tables or (JhtEntry._meta.db_table, Contribution._meta.db_table)
    account = Account._meta.db_table
    return f"""
        SELECT e.account_id, e.kind, e.value_date, e.employer_amount, e.worker_amount, e.development_amount,
               e.claim_amount, e.amount
        FROM {entry} e WHERE {entries_where}
        UNION ALL
        SELECT a.id, 'contribution', c.period, c.jht_employer, c.jht_worker, 0, 0, c.jht_employer + c.jht_worker
        FROM {contribution} c JOIN {account} a ON a.membership_id = c.membership_id
        WHERE (c.jht_employer <> 0 OR c.jht_worker <> 0) AND {contributions_where}
    """  # noqa: S608 - table names from model metadata; the conditions are the callers' SQL, never input


def archived_lines_sql() -> str:
    """The archived years' sums (`contributions.archive`) as lines of the shape `ledger_lines_sql` gives, one per
    account and year, kind 'archived', undated (only sums read them): what the live lines lack for every year
    detached or dropped."""
    return f"""
        SELECT account_id, 'archived', CAST(NULL AS DATE), employer_amount, worker_amount, development_amount,
               claim_amount, amount
        FROM {ArchivedYearTotal._meta.db_table}
    """  # noqa: S608 - the table name from model metadata


def _move_account(account_id: int, entry: JhtEntry) -> None:
    changes: dict[str, Any] = {"balance": F("balance") + entry.amount}
    for component, total in TOTAL_OF.items():
        value = getattr(entry, component)
        if value:
            changes[total] = F(total) + value
    Account.objects.filter(pk=account_id).update(**changes)


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


@dataclass(frozen=True, slots=True)
class ClaimLine:
    """One JHT claim to pay: `amount` (positive) out of the membership's account, dated `paid_on`."""

    membership_id: int
    amount: int
    paid_on: date
    reason: str


def _refuse_claim(balance: int, amount: int) -> DomainError:
    return DomainError(
        _("Saldo JHT (%(balance)s) tidak cukup untuk klaim %(amount)s.")
        % {"balance": format_rupiah(balance), "amount": format_rupiah(amount)},
        code="claim_exceeds_balance",
        field="amount",
    )


def post_jht_claims(*, claims: Sequence[ClaimLine], actor: Any = None) -> list[JhtEntry]:
    """Pays `claims` (negative claim entries), all or none: refuses the whole batch when an amount is not a
    positive whole number or a balance does not cover its claims. Whether a member may claim is the claims
    rules' business. A constant number of queries however many claims: the accounts are locked in id order
    (like imports and crediting take them), the entries inserted in bulk and the accounts moved by one UPDATE
    per batch."""
    for claim in claims:
        amount = claim.amount
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise DomainError(
                _("Jumlah klaim harus bilangan bulat positif."), code="claim_amount_invalid", field="amount"
            )
    if not claims:
        return []
    with transaction.atomic():
        balances: dict[int, tuple[int, int]] = {}  # membership id -> (account id, balance left)
        for batch in batched(sorted({claim.membership_id for claim in claims})):
            for account_id, membership_id, balance in (
                Account.objects.select_for_update()
                .filter(AnyOf(F("membership_id"), batch))
                .order_by("id")
                .values_list("id", "membership_id", "balance")
            ):
                balances[membership_id] = (account_id, balance)
        entries: list[JhtEntry] = []
        paid: dict[int, int] = {}  # account id -> total paid out
        for claim in claims:
            account_id, balance = balances.get(claim.membership_id, (0, 0))
            if not account_id or balance < claim.amount:
                raise _refuse_claim(balance, claim.amount)
            balances[claim.membership_id] = (account_id, balance - claim.amount)
            paid[account_id] = paid.get(account_id, 0) + claim.amount
            entries.append(
                JhtEntry(
                    account_id=account_id,
                    kind=JhtEntry.Kind.CLAIM,
                    value_date=claim.paid_on,
                    claim_amount=-claim.amount,
                    amount=-claim.amount,
                    note=claim.reason[:255],
                )
            )
        JhtEntry.objects.bulk_create(entries, batch_size=1_000)
        _pay_out(paid)
        if _actor(actor) is not None:
            kpjs = dict(Membership.objects.filter(AnyOf(F("id"), list(balances))).values_list("id", "kpj"))
            for claim, entry in zip(claims, entries, strict=True):
                record_event(
                    "post_jht_claim",
                    instance=entry,
                    after={
                        "kpj": kpjs[claim.membership_id],
                        "amount": claim.amount,
                        "paid_on": claim.paid_on,
                        "reason": claim.reason,
                    },
                    actor=actor,
                )
    return entries


def _pay_out(paid: dict[int, int]) -> None:
    """Moves balance and claims_total of each account down by its amount: UPDATE … FROM (VALUES …)."""
    table = Account._meta.db_table
    rows = sorted(paid.items())
    with connection.cursor() as cursor:
        for batch in batched(rows, max(1, min(1_000, max_params() // 2))):
            values = ", ".join(["(%s, %s)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} SET balance = {table}.balance - v.column2, "  # noqa: S608
                f"claims_total = {table}.claims_total - v.column2 "
                f"FROM (VALUES {values}) AS v WHERE {table}.id = v.column1",
                [value for row in batch for value in row],
            )


def post_jht_claim(*, membership: Membership, amount: int, paid_on: date, reason: str, actor: Any = None) -> JhtEntry:
    """Pays `amount` out of the member's JHT account (a negative claim entry dated `paid_on`). Whether the member
    may claim is the claims rules' business; this only refuses an amount the balance does not cover."""
    claim = ClaimLine(membership_id=membership.pk, amount=amount, paid_on=paid_on, reason=reason)
    return post_jht_claims(claims=[claim], actor=actor)[0]


def reverse_entry(*, entry: JhtEntry, reason: str, actor: Any = None) -> JhtEntry:
    """Posts the mirror image of `entry` (same value date, every component negated). An entry is reversed at
    most once (the database refuses a second reversal). A contribution is reversed by `reverse_contribution`."""
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=entry.account_id)
        original = JhtEntry.objects.get(pk=entry.pk)
        if original.kind == JhtEntry.Kind.REVERSAL:
            raise DomainError(_("Pembatalan tidak dapat dibatalkan lagi."), code="reverse_reversal")
        if JhtEntry.objects.filter(reverses=original).exists():
            raise DomainError(_("Mutasi ini sudah dibatalkan."), code="already_reversed")
        components = {component: getattr(original, component) for component in COMPONENTS}
        reversal = _post_reversal(account, original.value_date, components, reason, reverses=original)
        if _actor(actor) is not None:
            record_event(
                "reverse_jht_entry",
                instance=reversal,
                before={"entry": original.pk, "amount": original.amount},
                after={"reversal": reversal.pk, "amount": reversal.amount, "reason": reason},
                actor=actor,
            )
    return reversal


def _post_reversal(
    account: Account, value_date: date, components: dict[str, int], reason: str, **reversed_line: Any
) -> JhtEntry:
    """Posts the mirror image of a line with these `components` (same value date, each negated) and moves the
    account; `reversed_line` names what it reverses (`reverses=` an entry, `contribution=` a contribution).
    Refused when it would take the balance below zero, and by the database when that line is already reversed."""
    amount = sum(components.values())
    if account.balance - amount < 0:
        raise DomainError(
            _("Pembatalan akan membuat saldo JHT negatif (saldo %(balance)s).")
            % {"balance": format_rupiah(account.balance)},
            code="reversal_exceeds_balance",
        )
    reversal = JhtEntry(
        account=account,
        kind=JhtEntry.Kind.REVERSAL,
        value_date=value_date,
        note=reason[:255],
        amount=-amount,
        **{component: -value for component, value in components.items()},
        **reversed_line,
    )
    try:
        with transaction.atomic():
            reversal.save()
    except IntegrityError as exc:  # a concurrent reversal won the race
        raise DomainError(_("Mutasi ini sudah dibatalkan."), code="already_reversed") from exc
    _move_account(account.pk, reversal)
    return reversal


def reverse_contribution(*, contribution: Contribution, reason: str, actor: Any = None) -> Contribution:
    """Reverses a posted contribution: marks it reversed, which frees its month for a corrected posting, and
    takes its JHT part out of the account with a reversal entry (same value date, components negated; none for
    a BPU member without JHT). A contribution is reversed at most once."""
    with transaction.atomic():
        account = Account.objects.select_for_update().filter(membership_id=contribution.membership_id).first()
        current = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if current.reversed_at is not None:
            raise DomainError(_("Iuran ini sudah dibatalkan."), code="already_reversed")
        if account is not None and current.jht_total:
            components = {"employer_amount": current.jht_employer, "worker_amount": current.jht_worker}
            _post_reversal(account, current.period, components, reason, contribution=current)
        Contribution.objects.filter(pk=current.pk).update(reversed_at=timezone.now())
        if account is not None:
            recompute_paid_runs([account.pk])
        if _actor(actor) is not None:
            record_event("reverse_contribution", instance=current, after={"reason": reason}, actor=actor)
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
    """Accounts whose balance or totals differ from the sums of their lines, the archived years' sums among them,
    in one GROUP BY query."""
    account = Account._meta.db_table
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
            FROM ({ledger_lines_sql()} UNION ALL {archived_lines_sql()}) lines GROUP BY account_id
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
