"""`manage.py reconcile_ledger`: proves every JHT account's balance and totals equal the sums of its entries
(one GROUP BY query); lists the accounts that differ and exits with status 1 if any do."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jaminanku.contributions.ledger import find_unreconciled_accounts

SHOWN = 100


class Command(BaseCommand):
    help = "Checks that every JHT account's running balance and totals equal the sum of its entries."

    def handle(self, *args: Any, **options: Any) -> None:
        wrong = find_unreconciled_accounts()
        for item in wrong[:SHOWN]:
            details = ", ".join(
                f"{name}: tercatat {recorded}, dari mutasi {summed}"
                for name, (recorded, summed) in item.differences.items()
            )
            self.stdout.write(f"KPJ {item.kpj} (rekening {item.account_id}): {details}")
        if wrong:
            raise CommandError(f"{len(wrong)} rekening JHT tidak cocok dengan mutasinya.")
        self.stdout.write("Semua rekening JHT cocok dengan mutasinya.")
