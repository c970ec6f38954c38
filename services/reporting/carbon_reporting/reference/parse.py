"""Turn parsed reference TOML into the domain's rule dataclasses, checking every field."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from carbon_reporting.domain.rules import (
    AccountingRules,
    AccountingYearRule,
    DeadlineRules,
    FuelSpec,
    FuelTable,
    HolidayCalendar,
    ProcessFactor,
    ProcessFactorTable,
    QualityThresholds,
)
from carbon_reporting.reference._toml import (
    Header,
    dates,
    decimal,
    decimal_range,
    fail,
    flag,
    integer,
    strings,
    table,
    text,
)

_ONE = Decimal(1)


def parse_fuels(data: Mapping[str, Any], head: Header, origin: str) -> FuelTable:
    known_units = strings(data, "known_units", origin)
    fuels = {
        code: _fuel(code, spec, known_units, origin) for code, spec in table(data, "fuels", origin).items()
    }
    return FuelTable(version=head.version, source=head.source, known_units=known_units, fuels=fuels)


def _fuel(code: str, spec: Mapping[str, Any], known_units: tuple[str, ...], origin: str) -> FuelSpec:
    where = f"{origin} [fuels.{code}]"
    units = strings(spec, "units", where)
    if not set(units) <= set(known_units):
        raise fail(where, f"units {units} must be among known_units {known_units}")
    oxidation = decimal(spec, "default_oxidation", where)
    if not Decimal(0) < oxidation <= _ONE:
        raise fail(where, "default_oxidation must be in (0, 1]")
    return FuelSpec(
        code=code,
        name_zh=text(spec, "name_zh", where),
        units=units,
        is_coal=flag(spec, "is_coal", where),
        default_ncv_gj_per_unit=decimal(spec, "default_ncv_gj_per_unit", where),
        default_cc_tc_per_gj=decimal(spec, "default_cc_tc_per_gj", where),
        default_oxidation=oxidation,
        ncv_range=decimal_range(spec, "ncv_range", where),
        cc_range=decimal_range(spec, "cc_range", where),
    )


def parse_accounting_rules(data: Mapping[str, Any], head: Header, origin: str) -> AccountingRules:
    years = {}
    for key, rule in table(data, "years", origin).items():
        if not key.isdigit():
            raise fail(origin, f"[years.{key}] must be named by a four-digit year")
        years[int(key)] = _year_rule(int(key), rule, f"{origin} [years.{key}]")
    return AccountingRules(version=head.version, source=head.source, years=years)


def _year_rule(year: int, rule: Mapping[str, Any], where: str) -> AccountingYearRule:
    counted = flag(rule, "purchased_electricity_counted", where)
    grid_factor = decimal(rule, "grid_factor_t_per_mwh", where) if counted else None
    if not counted and "grid_factor_t_per_mwh" in rule:
        raise fail(where, "a grid factor is given for a year whose purchased electricity does not count")
    return AccountingYearRule(
        year=year,
        unmeasured_coal_cc_tc_per_gj=decimal(rule, "unmeasured_coal_cc_tc_per_gj", where),
        purchased_electricity_counted=counted,
        grid_factor_t_per_mwh=grid_factor,
    )


def parse_process_factors(data: Mapping[str, Any], head: Header, origin: str) -> ProcessFactorTable:
    processes = {}
    for code, spec in table(data, "processes", origin).items():
        where = f"{origin} [processes.{code}]"
        processes[code] = ProcessFactor(
            code=code,
            name_zh=text(spec, "name_zh", where),
            unit=text(spec, "unit", where),
            factor_tco2_per_unit=decimal(spec, "factor_tco2_per_unit", where),
        )
    return ProcessFactorTable(version=head.version, source=head.source, processes=processes)


def parse_deadlines(data: Mapping[str, Any], head: Header, origin: str) -> DeadlineRules:
    report = table(data, "report", origin)
    verification = table(data, "verification", origin)
    return DeadlineRules(
        version=head.version,
        source=head.source,
        report_due_years_after=integer(report, "due_years_after", origin, minimum=0, maximum=5),
        report_due_month=integer(report, "due_month", origin, minimum=1, maximum=12),
        report_due_day=integer(report, "due_day", origin, minimum=1, maximum=31),
        ledger_due_days_after_month_end=integer(
            table(data, "ledger", origin), "due_days_after_month_end", origin, minimum=0, maximum=366
        ),
        verification_feedback_working_days=integer(
            verification, "feedback_working_days", origin, minimum=1, maximum=60
        ),
        review_request_working_days=integer(
            verification, "review_request_working_days", origin, minimum=1, maximum=60
        ),
        utc_offset_hours=integer(
            table(data, "timezone", origin), "utc_offset_hours", origin, minimum=-12, maximum=14
        ),
    )


def parse_holidays(data: Mapping[str, Any], head: Header, origin: str, *, year: int) -> HolidayCalendar:
    holidays = dates(data, "holidays", origin)
    makeup = dates(data, "makeup_workdays", origin)
    strays = sorted(day for day in holidays | makeup if day.year != year)
    if strays:
        raise fail(origin, f"dates outside {year}: {', '.join(day.isoformat() for day in strays)}")
    if holidays & makeup:
        raise fail(origin, "a day cannot be both a holiday and a make-up workday")
    return HolidayCalendar(
        year=year, version=head.version, source=head.source, holidays=holidays, makeup_workdays=makeup
    )


def parse_quality(data: Mapping[str, Any], head: Header, origin: str) -> QualityThresholds:
    return QualityThresholds(
        version=head.version,
        source=head.source,
        ledger_mismatch_share=decimal(data, "ledger_mismatch_share", origin),
        year_on_year_jump_share=decimal(data, "year_on_year_jump_share", origin),
    )
