"""The rule tables the reporting domain reads, as frozen dataclasses.

They are defined here, in the domain, so the rules depend on nothing; `carbon_reporting.reference` fills
them from versioned TOML files. Every table carries `version` and `source` so a result can say which
rule table produced it, and an old result can be replayed under the table then in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from carbon_reporting.domain.errors import ReferenceYearMissing


@dataclass(frozen=True)
class DecimalRange:
    """A closed plausibility range [low, high] used by the data-quality checks."""

    low: Decimal
    high: Decimal

    def contains(self, value: Decimal) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class FuelSpec:
    """Reference properties of one fuel; NCV is per unit of the fuel's allowed units (t or 10^4Nm3)."""

    code: str
    name_zh: str
    units: tuple[str, ...]
    is_coal: bool
    default_ncv_gj_per_unit: Decimal
    default_cc_tc_per_gj: Decimal
    default_oxidation: Decimal
    ncv_range: DecimalRange
    cc_range: DecimalRange


@dataclass(frozen=True)
class FuelTable:
    version: str
    source: str
    known_units: tuple[str, ...]
    fuels: Mapping[str, FuelSpec]


@dataclass(frozen=True)
class AccountingYearRule:
    """What the accounting guideline in force for one reporting year says beyond the fuel defaults.

    `unmeasured_coal_cc_tc_per_gj` is the deliberately high penalty carbon content per heat for coal
    whose carbon content was not measured; `grid_factor_t_per_mwh` is None when purchased electricity
    does not count for that year.
    """

    year: int
    unmeasured_coal_cc_tc_per_gj: Decimal
    purchased_electricity_counted: bool
    grid_factor_t_per_mwh: Decimal | None


@dataclass(frozen=True)
class AccountingRules:
    version: str
    source: str
    years: Mapping[int, AccountingYearRule]

    def for_year(self, year: int) -> AccountingYearRule:
        rule = self.years.get(year)
        if rule is None:
            known = ", ".join(str(y) for y in sorted(self.years))
            raise ReferenceYearMissing(
                f"accounting rules {self.version} have no rule for year {year}; known years: {known}"
            )
        return rule


@dataclass(frozen=True)
class ProcessFactor:
    code: str
    name_zh: str
    unit: str
    factor_tco2_per_unit: Decimal


@dataclass(frozen=True)
class ProcessFactorTable:
    version: str
    source: str
    processes: Mapping[str, ProcessFactor]


@dataclass(frozen=True)
class DeadlineRules:
    """DOMAIN rule 3 as data: report due on (month, day) of year Y+`report_due_years_after`, etc."""

    version: str
    source: str
    report_due_years_after: int
    report_due_month: int
    report_due_day: int
    ledger_due_days_after_month_end: int
    verification_feedback_working_days: int
    review_request_working_days: int
    utc_offset_hours: int


@dataclass(frozen=True)
class HolidayCalendar:
    """One year of the State Council calendar: weekday days off and weekend make-up workdays (调休)."""

    year: int
    version: str
    source: str
    holidays: frozenset[dt.date]
    makeup_workdays: frozenset[dt.date]


@dataclass(frozen=True)
class QualityThresholds:
    version: str
    source: str
    ledger_mismatch_share: Decimal
    year_on_year_jump_share: Decimal
