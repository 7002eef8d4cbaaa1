"""The public writes of the contributions app, in one place for callers (seeder, views, API, commands):
wage-report imports, BPU/PMI self-payments, claims, reversals, development crediting and reconciliation."""

from jaminanku.contributions.crediting import credit_development
from jaminanku.contributions.files import import_wage_report_file
from jaminanku.contributions.imports import WageLine, import_month, import_wage_lines
from jaminanku.contributions.ledger import (
    ClaimLine,
    Unreconciled,
    find_unreconciled_accounts,
    post_jht_claim,
    post_jht_claims,
    reverse_contribution,
    reverse_entry,
)
from jaminanku.contributions.rates import ContributionLines, RateSchedule, compute_contribution
from jaminanku.contributions.reportbook import ImportResult
from jaminanku.contributions.selfpay import post_bpu_months, post_bpu_payments

__all__ = [
    "ClaimLine",
    "ContributionLines",
    "ImportResult",
    "RateSchedule",
    "Unreconciled",
    "WageLine",
    "compute_contribution",
    "credit_development",
    "find_unreconciled_accounts",
    "import_month",
    "import_wage_lines",
    "import_wage_report_file",
    "post_bpu_months",
    "post_bpu_payments",
    "post_jht_claim",
    "post_jht_claims",
    "reverse_contribution",
    "reverse_entry",
]
