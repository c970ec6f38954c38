"""Allowance calculator for power units (DOMAIN rule 5, CONTRACT `POST /v1/allocations/calculate`).

Coal units (categories I-III): A = Qe * Be * Ff + Qh * Bh.  Gas units (IV): A = Qe * Be + Qh * Bh.

Rounding, stated once: every product is computed as an exact Decimal (the load factor of the
exponential band to 28 significant digits), and each PUBLISHED figure is floored to whole tonnes at the
very end of its own computation:
- benchmark_allocation = floor(A);
- final_allocation     = floor(max(A, top-up target)), the target being 100% (gas) or the floor share
                         (80%) of verified emissions, whichever applies;
- top_up               = final_allocation - benchmark_allocation, so the two published parts always
                         add up to the published total (it is not floored separately);
- pre_allocation       = floor(pre-allocation share (70%) * previous year's verified emissions).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal, localcontext

from carbon_allowance.domain.errors import InvalidInput, ReferenceDataMissing
from carbon_allowance.domain.quantities import floor_units, require_non_negative
from carbon_allowance.domain.rules import (
    BandKind,
    LoadBand,
    PowerAllocationRules,
    Provenance,
    UnitCategory,
    YearBenchmarks,
)

_PERCENT = Decimal(100)  # the plan writes load rates in percent points inside its formulas
_EXPONENT_PRECISION = 28  # significant digits for the non-integral power of the lowest load band
_NO_CORRECTION = Decimal(1)


class TopUpKind(enum.StrEnum):
    NONE = "none"
    GAS = "gas"  # gas unit topped up to its verified emissions
    FLOOR = "floor"  # any unit topped up to the floor share of its verified emissions


class LoadFactorOrigin(enum.StrEnum):
    NOT_APPLICABLE = "not_applicable"  # gas units
    DEFAULT = "default"
    GIVEN = "given"
    FROM_LOAD_RATE = "from_load_rate"


@dataclass(frozen=True, kw_only=True)
class PowerUnitInput:
    """What the regulator enters for one unit and year (quantities as verified)."""

    year: int
    category: UnitCategory
    electricity_generated_mwh: Decimal
    heat_supplied_gj: Decimal = Decimal(0)
    load_factor: Decimal | None = None
    load_rate: Decimal | None = None
    verified_emissions_tco2e: Decimal | None = None
    previous_year_verified_tco2e: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class AllocationBreakdown:
    """Every factor used, exact intermediate values and the rule table cited."""

    reference: Provenance
    year: int
    category: UnitCategory
    electricity_benchmark_tco2_per_mwh: Decimal
    heat_benchmark_tco2_per_gj: Decimal
    load_factor: Decimal
    load_factor_origin: LoadFactorOrigin
    load_rate: Decimal | None
    electricity_part_tco2: Decimal
    heat_part_tco2: Decimal
    benchmark_allocation_exact: Decimal
    top_up_kind: TopUpKind
    top_up_target_exact: Decimal | None
    pre_allocation_share: Decimal
    gas_top_up_share: Decimal
    floor_share: Decimal


@dataclass(frozen=True, kw_only=True)
class AllocationResult:
    benchmark_allocation: int
    top_up: int
    final_allocation: int
    pre_allocation: int | None
    breakdown: AllocationBreakdown


def calculate_power_allocation(*, unit: PowerUnitInput, rules: PowerAllocationRules) -> AllocationResult:
    """Apply DOMAIN rule 5 to one unit; raises ReferenceDataMissing for a year without benchmarks."""
    _validate_quantities(unit)
    breakdown = _breakdown(unit, _benchmarks_for(unit.year, rules), rules)
    benchmark_allocation = floor_units(breakdown.benchmark_allocation_exact)
    target = breakdown.top_up_target_exact
    final_allocation = (
        floor_units(max(breakdown.benchmark_allocation_exact, target))
        if target is not None
        else benchmark_allocation
    )
    return AllocationResult(
        benchmark_allocation=benchmark_allocation,
        top_up=final_allocation - benchmark_allocation,
        final_allocation=final_allocation,
        pre_allocation=pre_allocation(previous_year_tco2e=unit.previous_year_verified_tco2e, rules=rules),
        breakdown=breakdown,
    )


def _breakdown(
    unit: PowerUnitInput, benchmarks: YearBenchmarks, rules: PowerAllocationRules
) -> AllocationBreakdown:
    """The exact (unrounded) computation with every factor it used."""
    load_factor, origin = _load_factor(unit, rules)
    electricity_benchmark = benchmarks.electricity[unit.category]
    heat_benchmark = benchmarks.heat_for(unit.category)
    electricity_part = unit.electricity_generated_mwh * electricity_benchmark * load_factor
    heat_part = unit.heat_supplied_gj * heat_benchmark
    top_up_kind, target = _top_up_target(unit, electricity_part + heat_part, rules)
    return AllocationBreakdown(
        reference=rules.provenance,
        year=unit.year,
        category=unit.category,
        electricity_benchmark_tco2_per_mwh=electricity_benchmark,
        heat_benchmark_tco2_per_gj=heat_benchmark,
        load_factor=load_factor,
        load_factor_origin=origin,
        load_rate=unit.load_rate,
        electricity_part_tco2=electricity_part,
        heat_part_tco2=heat_part,
        benchmark_allocation_exact=electricity_part + heat_part,
        top_up_kind=top_up_kind,
        top_up_target_exact=target,
        pre_allocation_share=rules.pre_allocation_share,
        gas_top_up_share=rules.gas_top_up_share,
        floor_share=rules.floor_share,
    )


def category_from_code(code: str) -> UnitCategory:
    """The benchmark category named by `code` ("I".."IV"); anything else has no benchmark."""
    try:
        return UnitCategory(code)
    except ValueError:
        known = ", ".join(category.value for category in UnitCategory)
        raise ReferenceDataMissing(f"no power benchmark category {code!r}; categories are {known}") from None


def pre_allocation(*, previous_year_tco2e: Decimal | None, rules: PowerAllocationRules) -> int | None:
    """floor(share * previous year's verified emissions); None when they are not known."""
    if previous_year_tco2e is None:
        return None
    require_non_negative(previous_year_tco2e, name="previous_year_verified_tco2e")
    return floor_units(previous_year_tco2e * rules.pre_allocation_share)


def load_factor_from_load_rate(*, load_rate: Decimal, rules: PowerAllocationRules) -> Decimal:
    """Ff from the unit's load rate (0-1) with the plan's piecewise table (exact except the power band)."""
    if not Decimal(0) <= load_rate <= Decimal(1):
        raise InvalidInput(f"load_rate is a fraction between 0 and 1 (e.g. 0.78 for 78%), got {load_rate}")
    band = next(band for band in rules.load_bands if load_rate >= band.min_rate)
    return _evaluate_band(band, load_rate)


def _evaluate_band(band: LoadBand, rate: Decimal) -> Decimal:
    if band.kind is BandKind.CONSTANT:
        return band.intercept
    if band.kind is BandKind.LINEAR:
        return band.intercept + band.slope * (band.pivot_percent - _PERCENT * rate)
    with localcontext() as context:
        context.prec = _EXPONENT_PRECISION
        return +(band.base ** (band.exponent_intercept - band.exponent_slope * rate))


def _benchmarks_for(year: int, rules: PowerAllocationRules) -> YearBenchmarks:
    benchmarks = rules.years.get(year)
    if benchmarks is None:
        known = ", ".join(str(y) for y in sorted(rules.years))
        raise ReferenceDataMissing(
            f"no power benchmarks for {year} in {rules.provenance.table} {rules.provenance.version} "
            f"(years covered: {known}); the allocation for other years arrives from the region as a number"
        )
    return benchmarks


def _load_factor(unit: PowerUnitInput, rules: PowerAllocationRules) -> tuple[Decimal, LoadFactorOrigin]:
    if unit.category.is_gas:
        if unit.load_rate is not None or unit.load_factor not in (None, _NO_CORRECTION):
            raise InvalidInput(
                "gas units (category IV) take no load correction: omit load_factor and load_rate"
            )
        return _NO_CORRECTION, LoadFactorOrigin.NOT_APPLICABLE
    if unit.load_factor is not None and unit.load_rate is not None:
        raise InvalidInput("give either load_factor or load_rate, not both")
    if unit.load_rate is not None:
        from_rate = load_factor_from_load_rate(load_rate=unit.load_rate, rules=rules)
        return from_rate, LoadFactorOrigin.FROM_LOAD_RATE
    if unit.load_factor is None:
        return _NO_CORRECTION, LoadFactorOrigin.DEFAULT
    if not _NO_CORRECTION <= unit.load_factor <= rules.max_load_factor:
        raise InvalidInput(
            f"load_factor must be between 1 and {rules.max_load_factor} "
            f"({rules.provenance.table} {rules.provenance.version}), got {unit.load_factor}"
        )
    return unit.load_factor, LoadFactorOrigin.GIVEN


def _top_up_target(
    unit: PowerUnitInput, exact: Decimal, rules: PowerAllocationRules
) -> tuple[TopUpKind, Decimal | None]:
    """The level the allocation is raised to, or (NONE, None) when no top-up applies."""
    verified = unit.verified_emissions_tco2e
    if verified is None:
        return TopUpKind.NONE, None
    if unit.category.is_gas and exact < verified * rules.gas_top_up_share:
        return TopUpKind.GAS, verified * rules.gas_top_up_share
    if exact < verified * rules.floor_share:
        return TopUpKind.FLOOR, verified * rules.floor_share
    return TopUpKind.NONE, None


def _validate_quantities(unit: PowerUnitInput) -> None:
    require_non_negative(unit.electricity_generated_mwh, name="electricity_generated_mwh")
    require_non_negative(unit.heat_supplied_gj, name="heat_supplied_gj")
    if unit.verified_emissions_tco2e is not None:
        require_non_negative(unit.verified_emissions_tco2e, name="verified_emissions_tco2e")
