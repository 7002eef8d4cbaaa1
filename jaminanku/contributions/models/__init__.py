"""Models of the contributions app, split by concept: rate tables, wage reports and the JHT ledger."""

from jaminanku.contributions.models.ledger import (
    Account,
    ArchivedYearTotal,
    Contribution,
    CreditingRun,
    JhtEntry,
)
from jaminanku.contributions.models.rate_tables import (
    ContributionRate,
    DevelopmentRate,
    Party,
    PensionAge,
    Program,
    RateSegment,
    WageCap,
)
from jaminanku.contributions.models.reports import EmployerArrears, WageReport

__all__ = [
    "Account",
    "ArchivedYearTotal",
    "Contribution",
    "ContributionRate",
    "CreditingRun",
    "DevelopmentRate",
    "EmployerArrears",
    "JhtEntry",
    "Party",
    "PensionAge",
    "Program",
    "RateSegment",
    "WageCap",
    "WageReport",
]
