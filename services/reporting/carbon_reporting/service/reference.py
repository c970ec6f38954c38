"""The reference tables the use cases apply, loaded once per process from `carbon_reporting.reference`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from carbon_reporting.domain.rules import (
    AccountingRules,
    DeadlineRules,
    FuelTable,
    HolidayCalendar,
    ProcessFactorTable,
    QualityThresholds,
)
from carbon_reporting.reference import (
    load_accounting_rules,
    load_deadline_rules,
    load_fuel_table,
    load_holiday_calendars,
    load_process_factors,
    load_quality_thresholds,
)


@dataclass(frozen=True)
class AccountingTables:
    fuels: FuelTable
    rules: AccountingRules
    processes: ProcessFactorTable


def current_accounting() -> AccountingTables:
    """The newest versions: what a report created now is accounted with (the breakdown names them)."""
    return AccountingTables(load_fuel_table(), load_accounting_rules(), load_process_factors())


def pinned_accounting(versions: dict[str, str]) -> AccountingTables:
    """The versions a stored breakdown names, to replay its calculation exactly."""
    return AccountingTables(
        load_fuel_table(versions["fuels"]),
        load_accounting_rules(versions["accounting_rules"]),
        load_process_factors(versions["process_factors"]),
    )


def deadline_rules() -> DeadlineRules:
    return load_deadline_rules()


def quality_thresholds() -> QualityThresholds:
    return load_quality_thresholds()


@cache
def holiday_calendars() -> Mapping[int, HolidayCalendar]:
    """Every installed year's State Council calendar (loaded once per process)."""
    return load_holiday_calendars()
