"""Typed rule tables the domain computes with; `carbon_allowance.reference` builds them from TOML.

Keeping the types here (not in the loader) lets the pure functions accept a rule table as an argument,
so a test or a replay can hand in any version without touching files.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Provenance:
    """Where a rule table comes from: every figure computed with it cites this."""

    table: str
    version: str
    source: str
    effective_from: dt.date


class UnitCategory(enum.StrEnum):
    """Power-unit categories of the 2023-2024 national plan."""

    I = "I"  # conventional coal >= 400 MW  # noqa: E741 - the plan's own name
    II = "II"  # conventional coal < 400 MW
    III = "III"  # unconventional coal (CFB)
    IV = "IV"  # gas

    @property
    def is_gas(self) -> bool:
        return self is UnitCategory.IV


@dataclass(frozen=True)
class YearBenchmarks:
    """Benchmarks for one year: electricity per category (tCO2/MWh) and heat (tCO2/GJ)."""

    electricity: Mapping[UnitCategory, Decimal]
    heat_coal: Decimal
    heat_gas: Decimal

    def heat_for(self, category: UnitCategory) -> Decimal:
        return self.heat_gas if category.is_gas else self.heat_coal


class BandKind(enum.StrEnum):
    CONSTANT = "constant"
    LINEAR = "linear"
    EXPONENTIAL = "exponential"


@dataclass(frozen=True)
class LoadBand:
    """One row of the load (output) correction table, applying to load rates >= `min_rate`.

    constant:    Ff = intercept
    linear:      Ff = intercept + slope * (pivot_percent - 100 * rate)
    exponential: Ff = base ** (exponent_intercept - exponent_slope * rate)
    Unused coefficients are zero.
    """

    min_rate: Decimal
    kind: BandKind
    intercept: Decimal = Decimal(0)
    slope: Decimal = Decimal(0)
    pivot_percent: Decimal = Decimal(0)
    base: Decimal = Decimal(0)
    exponent_intercept: Decimal = Decimal(0)
    exponent_slope: Decimal = Decimal(0)


@dataclass(frozen=True)
class PowerAllocationRules:
    """DOMAIN rule 5 and the national 2023-2024 power allocation plan."""

    provenance: Provenance
    years: Mapping[int, YearBenchmarks]
    pre_allocation_share: Decimal
    gas_top_up_share: Decimal
    floor_share: Decimal
    max_load_factor: Decimal
    load_bands: tuple[LoadBand, ...]  # sorted by min_rate, highest first


@dataclass(frozen=True)
class SurrenderRules:
    """DOMAIN rule 6 and the 2024 State Council regulation: CCER cap, fine multipliers, deduction."""

    provenance: Provenance
    ccer_cap_share: Decimal
    fine_multiplier_min: Decimal
    fine_multiplier_max: Decimal
    deduction_year_offset: int
    latest_vintage_offset: int


@dataclass(frozen=True)
class ComplianceCalendar:
    """Surrender due dates: a default (year offset, month, day) and per-year overrides."""

    provenance: Provenance
    default_year_offset: int
    default_month: int
    default_day: int
    overrides: Mapping[int, dt.date]
    utc_offset_hours: int


@dataclass(frozen=True)
class PriceTable:
    """Monthly average national allowance (CEA) prices in CNY per tonne, keyed by (year, month)."""

    provenance: Provenance
    monthly_average_cny: Mapping[tuple[int, int], Decimal]
