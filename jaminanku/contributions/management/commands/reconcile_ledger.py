"""`manage.py reconcile_ledger`: proves every JHT account's balance and totals equal the sums of its entries
(one GROUP BY query; an archived year counts by the sums it left, `contributions.archive`), and that the ledger's
claim entries and the paid claims match one to one: every paid claim has exactly one claim entry, of its gross,
on its member's account, and every claim entry belongs to exactly one paid claim (a claim paid in a year since
archived keeps its entry's id, and is not read again). Lists what differs and exits with status 1 if anything
does.

The claims app sits above contributions, so the claims are read through the entry's reverse relation
(`claim_record`) and the app registry, never imported."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db.models import F, Q

from jaminanku.contributions.ledger import find_unreconciled_accounts
from jaminanku.contributions.models import JhtEntry

SHOWN = 100


def claim_mismatches() -> list[str]:
    """What breaks the one-to-one match between claim entries and paid claims, one line each."""
    found: list[str] = []
    for pk, kpj, amount in (
        JhtEntry.objects.filter(kind=JhtEntry.Kind.CLAIM, claim_record__isnull=True)
        .values_list("pk", "account__membership__kpj", "amount")
        .order_by("pk")
    ):
        found.append(f"Mutasi klaim {pk} (KPJ {kpj}, {amount}) tanpa klaim yang dibayar.")
    wrong = (
        JhtEntry.objects.filter(claim_record__isnull=False)
        .filter(
            ~Q(kind=JhtEntry.Kind.CLAIM)
            | ~Q(claim_record__state="paid")
            | ~Q(amount=-F("claim_record__gross"))
            | ~Q(account__membership_id=F("claim_record__membership_id"))
        )
        .values_list("pk", "kind", "amount", "claim_record__reference", "claim_record__state", "claim_record__gross")
        .order_by("pk")
    )
    for pk, kind, amount, reference, state, gross in wrong:
        found.append(
            f"Klaim {reference} ({state}, bruto {gross}) tidak cocok dengan mutasinya {pk} ({kind}, {amount})."
        )
    claim_model = apps.get_model("claims", "JhtClaim")
    for reference in (
        claim_model.objects.filter(state="paid", entry__isnull=True).values_list("reference", flat=True).order_by("pk")
    ):
        found.append(f"Klaim {reference} dibayar tanpa mutasi klaim.")
    return found


class Command(BaseCommand):
    help = (
        "Checks that every JHT account's running balance and totals equal the sum of its entries, and that claim "
        "entries and paid claims match one to one."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        wrong = find_unreconciled_accounts()
        for item in wrong[:SHOWN]:
            details = ", ".join(
                f"{name}: tercatat {recorded}, dari mutasi {summed}"
                for name, (recorded, summed) in item.differences.items()
            )
            self.stdout.write(f"KPJ {item.kpj} (rekening {item.account_id}): {details}")
        claims = claim_mismatches()
        for line in claims[:SHOWN]:
            self.stdout.write(line)
        problems = []
        if wrong:
            problems.append(f"{len(wrong)} rekening JHT tidak cocok dengan mutasinya.")
        if claims:
            problems.append(f"{len(claims)} klaim dan mutasi klaim tidak cocok satu lawan satu.")
        if problems:
            raise CommandError(" ".join(problems))
        self.stdout.write("Semua rekening JHT cocok dengan mutasinya.")
        self.stdout.write("Setiap klaim yang dibayar mempunyai tepat satu mutasi klaim, dan sebaliknya.")
