"""Load a versioned reference table into a frozen rule dataclass (cached per version).

Call with no argument for the version in force (`CURRENT_VERSIONS`), or pass `version=` to replay a
computation under an older table or to test with a specific one.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from types import MappingProxyType
from typing import Any

from carbon_allowance.domain.errors import ReferenceDataInvalid, ReferenceVersionUnknown
from carbon_allowance.domain.rules import (
    BandKind,
    ComplianceCalendar,
    LoadBand,
    PowerAllocationRules,
    PriceTable,
    SurrenderRules,
    UnitCategory,
    YearBenchmarks,
)
from carbon_allowance.reference._toml import decimal, fail, integer, positive_decimal, provenance, table

POWER_ALLOCATION = "power_allocation"
SURRENDER_RULES = "surrender_rules"
COMPLIANCE_CALENDAR = "compliance_calendar"
CEA_PRICES = "cea_prices"

CURRENT_VERSIONS: Mapping[str, str] = MappingProxyType(
    {
        POWER_ALLOCATION: "2023-2024.1",
        SURRENDER_RULES: "2024.1",
        COMPLIANCE_CALENDAR: "2023.1",
        CEA_PRICES: "2025.1",
    }
)


def available_versions(table_name: str) -> tuple[str, ...]:
    """Every version stored for a table, sorted."""
    folder = resources.files(__package__).joinpath(table_name)
    names = (entry.name for entry in folder.iterdir())
    return tuple(sorted(name.removesuffix(".toml") for name in names if name.endswith(".toml")))


def _read(table_name: str, version: str | None) -> tuple[dict[str, Any], str]:
    chosen = version or CURRENT_VERSIONS[table_name]
    resource = resources.files(__package__).joinpath(table_name, f"{chosen}.toml")
    if not resource.is_file():
        known = ", ".join(available_versions(table_name))
        raise ReferenceVersionUnknown(f"no {table_name} version {chosen!r}; known versions: {known}")
    origin = f"reference/{table_name}/{chosen}.toml"
    try:
        data = tomllib.loads(resource.read_text(encoding="utf-8"), parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise fail(origin, f"not valid TOML: {exc}") from exc
    if data.get("version") != chosen:
        raise fail(origin, f"declares version {data.get('version')!r} but is stored as {chosen!r}")
    return data, origin


@functools.cache
def load_power_allocation_rules(version: str | None = None) -> PowerAllocationRules:
    data, origin = _read(POWER_ALLOCATION, version)
    load = table(data, "load_correction", origin)
    return PowerAllocationRules(
        provenance=provenance(data, table=POWER_ALLOCATION, origin=origin),
        years=MappingProxyType(
            {
                int(year): _year(row, f"{origin} [years.{year}]")
                for year, row in table(data, "years", origin).items()
            }
        ),
        pre_allocation_share=positive_decimal(data, "pre_allocation_share", origin),
        gas_top_up_share=positive_decimal(data, "gas_top_up_share", origin),
        floor_share=positive_decimal(data, "floor_share", origin),
        max_load_factor=positive_decimal(load, "max_load_factor", origin),
        load_bands=_bands(load.get("bands"), origin),
    )


def _year(row: Mapping[str, Any], origin: str) -> YearBenchmarks:
    electricity = table(row, "electricity", origin)
    heat = table(row, "heat", origin)
    return YearBenchmarks(
        electricity=MappingProxyType(
            {category: positive_decimal(electricity, category.value, origin) for category in UnitCategory}
        ),
        heat_coal=positive_decimal(heat, "coal", origin),
        heat_gas=positive_decimal(heat, "gas", origin),
    )


def _bands(rows: Any, origin: str) -> tuple[LoadBand, ...]:
    if not isinstance(rows, list) or not rows:
        raise fail(origin, "[[load_correction.bands]] must list at least one band")
    bands = tuple(sorted((_band(row, origin) for row in rows), key=lambda band: band.min_rate, reverse=True))
    if bands[-1].min_rate != 0:
        raise fail(origin, "the lowest load band must start at min_rate = 0 so every rate is covered")
    return bands


def _band(row: Mapping[str, Any], origin: str) -> LoadBand:
    try:
        kind = BandKind(row.get("kind"))
    except ValueError as exc:
        raise fail(origin, f"band kind must be one of {[k.value for k in BandKind]}") from exc
    coefficients = ("intercept", "slope", "pivot_percent", "base", "exponent_intercept", "exponent_slope")
    return LoadBand(
        min_rate=decimal(row, "min_rate", origin),
        kind=kind,
        **{name: decimal(row, name, origin, default=Decimal(0)) for name in coefficients},
    )


@functools.cache
def load_surrender_rules(version: str | None = None) -> SurrenderRules:
    data, origin = _read(SURRENDER_RULES, version)
    minimum = positive_decimal(data, "fine_multiplier_min", origin)
    maximum = positive_decimal(data, "fine_multiplier_max", origin)
    if maximum < minimum:
        raise fail(origin, "fine_multiplier_max must be >= fine_multiplier_min")
    return SurrenderRules(
        provenance=provenance(data, table=SURRENDER_RULES, origin=origin),
        ccer_cap_share=positive_decimal(data, "ccer_cap_share", origin),
        fine_multiplier_min=minimum,
        fine_multiplier_max=maximum,
        deduction_year_offset=integer(data, "deduction_year_offset", origin),
        latest_vintage_offset=integer(data, "latest_vintage_offset", origin),
    )


@functools.cache
def load_compliance_calendar(version: str | None = None) -> ComplianceCalendar:
    data, origin = _read(COMPLIANCE_CALENDAR, version)
    default = table(data, "default_due", origin)
    overrides: dict[int, dt.date] = {}
    for year, due in table(data, "due_dates", origin).items():
        if not isinstance(due, dt.date) or isinstance(due, dt.datetime):
            raise fail(origin, f"due_dates.{year} must be a local date")
        overrides[int(year)] = due
    return ComplianceCalendar(
        provenance=provenance(data, table=COMPLIANCE_CALENDAR, origin=origin),
        default_year_offset=integer(default, "year_offset", origin),
        default_month=integer(default, "month", origin),
        default_day=integer(default, "day", origin),
        overrides=MappingProxyType(overrides),
        utc_offset_hours=integer(data, "utc_offset_hours", origin),
    )


@functools.cache
def load_price_table(version: str | None = None) -> PriceTable:
    data, origin = _read(CEA_PRICES, version)
    prices: dict[tuple[int, int], Decimal] = {}
    for key in table(data, "monthly_average_cny", origin):
        year, _, month = key.partition("-")
        if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
            raise ReferenceDataInvalid(f"{origin}: month key {key!r} must read YYYY-MM")
        prices[(int(year), int(month))] = positive_decimal(data["monthly_average_cny"], key, origin)
    return PriceTable(
        provenance=provenance(data, table=CEA_PRICES, origin=origin),
        monthly_average_cny=MappingProxyType(prices),
    )
