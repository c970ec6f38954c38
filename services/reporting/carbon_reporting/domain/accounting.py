"""The emissions accounting engine (DOMAIN rule 4): fuel combustion, purchased electricity, process emissions.

Fuel combustion, per fuel line, by the first path that applies:
- `measured`: carbon per unit of fuel was measured: `amount * carbon_tc_per_unit * oxidation * 44/12`;
- `ncv_cc`: it measured both NCV and carbon per heat: `amount * ncv * cc * oxidation * 44/12`;
- `penalty`: a coal whose carbon per heat is unmeasured takes the year's deliberately high penalty default;
- `default`: any other missing NCV or carbon per heat takes the fuel's reference default.
A missing oxidation takes the fuel's reference default without changing the path.
Purchased electricity: `MWh * grid factor` only for years whose rule says it counts; otherwise reported
with zero emissions and `counted=False`. Process emissions: `amount * factor` (reference or measured).

Rounding rule: every line is computed exactly (50 significant digits, the division by 12 done last, so
44/12 is never truncated) and then rounded ROUND_HALF_UP to 0.01 tCO2e. A facility total is the sum of its
rounded lines and the report total the sum of facility totals, so the breakdown always adds up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from carbon_reporting.domain.activity import Facility, FuelLine, ProcessLine, ReportActivity
from carbon_reporting.domain.rules import (
    AccountingRules,
    AccountingYearRule,
    FuelSpec,
    FuelTable,
    ProcessFactorTable,
)
from carbon_reporting.domain.validation import validate_activity

_CO2_PER_C_NUMERATOR = Decimal(44)  # molar mass of CO2 over that of C: 44/12, a constant of chemistry
_CO2_PER_C_DENOMINATOR = Decimal(12)
_CENT = Decimal("0.01")
_PRECISION = 50


class AccountingPath(StrEnum):
    MEASURED = "measured"
    NCV_CC = "ncv_cc"
    DEFAULT = "default"
    PENALTY = "penalty"


@dataclass(frozen=True)
class FuelLineResult:
    """The factors applied to one fuel line; `defaults_used` names each factor taken from reference data."""

    index: int
    fuel: str
    amount: Decimal
    unit: str
    path: AccountingPath
    carbon_tc_per_unit: Decimal | None
    ncv_gj_per_unit: Decimal | None
    cc_tc_per_gj: Decimal | None
    oxidation: Decimal
    defaults_used: tuple[str, ...]
    emissions_tco2e: Decimal


@dataclass(frozen=True)
class ElectricityResult:
    purchased_mwh: Decimal
    counted: bool
    grid_factor_t_per_mwh: Decimal | None
    emissions_tco2e: Decimal


@dataclass(frozen=True)
class ProcessLineResult:
    index: int
    process: str
    amount: Decimal
    unit: str
    factor_tco2_per_unit: Decimal
    measured_factor: bool
    emissions_tco2e: Decimal


@dataclass(frozen=True)
class FacilityResult:
    name: str
    fuels: tuple[FuelLineResult, ...]
    electricity: ElectricityResult | None
    processes: tuple[ProcessLineResult, ...]
    total_tco2e: Decimal


@dataclass(frozen=True)
class ReferenceVersions:
    """Which versions of the rule tables produced a result, so it can be replayed or explained."""

    fuels: str
    accounting_rules: str
    process_factors: str


@dataclass(frozen=True)
class EmissionsResult:
    year: int
    total_tco2e: Decimal
    facilities: tuple[FacilityResult, ...]
    reference: ReferenceVersions


def calculate_emissions(
    *,
    activity: ReportActivity,
    year: int,
    fuels: FuelTable,
    rules: AccountingRules,
    processes: ProcessFactorTable,
) -> EmissionsResult:
    """Account a report's emissions; raises `InvalidActivityData` or `ReferenceYearMissing` first."""
    year_rule = rules.for_year(year)
    validate_activity(activity=activity, fuels=fuels, processes=processes)
    facilities = tuple(_facility(facility, fuels, year_rule, processes) for facility in activity.facilities)
    return EmissionsResult(
        year=year,
        total_tco2e=sum((facility.total_tco2e for facility in facilities), Decimal(0)),
        facilities=facilities,
        reference=ReferenceVersions(
            fuels=fuels.version, accounting_rules=rules.version, process_factors=processes.version
        ),
    )


def round_line(exact: Decimal) -> Decimal:
    """The one rounding step of the engine: ROUND_HALF_UP to 0.01 tCO2e."""
    return exact.quantize(_CENT, rounding=ROUND_HALF_UP)


def _facility(
    facility: Facility, fuels: FuelTable, year_rule: AccountingYearRule, processes: ProcessFactorTable
) -> FacilityResult:
    fuel_lines = tuple(
        _fuel_line(index, line, fuels.fuels[line.fuel], year_rule)
        for index, line in enumerate(facility.fuels)
    )
    electricity = _electricity(facility.purchased_electricity_mwh, year_rule)
    process_lines = tuple(
        _process_line(index, line, processes) for index, line in enumerate(facility.processes)
    )
    lines = [line.emissions_tco2e for line in fuel_lines] + [line.emissions_tco2e for line in process_lines]
    if electricity is not None:
        lines.append(electricity.emissions_tco2e)
    return FacilityResult(
        name=facility.name,
        fuels=fuel_lines,
        electricity=electricity,
        processes=process_lines,
        total_tco2e=sum(lines, Decimal(0)),
    )


def _fuel_line(index: int, line: FuelLine, spec: FuelSpec, year_rule: AccountingYearRule) -> FuelLineResult:
    oxidation = line.oxidation if line.oxidation is not None else spec.default_oxidation
    defaults = () if line.oxidation is not None else ("oxidation",)
    if line.carbon_tc_per_unit is not None:
        carbon = line.carbon_tc_per_unit
        return FuelLineResult(
            index=index,
            fuel=line.fuel,
            amount=line.amount,
            unit=line.unit,
            path=AccountingPath.MEASURED,
            carbon_tc_per_unit=carbon,
            ncv_gj_per_unit=None,
            cc_tc_per_gj=None,
            oxidation=oxidation,
            defaults_used=defaults,
            emissions_tco2e=_combustion(line.amount, carbon, oxidation),
        )
    path, ncv, cc, heat_defaults = _heat_factors(line, spec, year_rule)
    with localcontext(prec=_PRECISION):
        carbon_per_unit = ncv * cc
    return FuelLineResult(
        index=index,
        fuel=line.fuel,
        amount=line.amount,
        unit=line.unit,
        path=path,
        carbon_tc_per_unit=None,
        ncv_gj_per_unit=ncv,
        cc_tc_per_gj=cc,
        oxidation=oxidation,
        defaults_used=heat_defaults + defaults,
        emissions_tco2e=_combustion(line.amount, carbon_per_unit, oxidation),
    )


def _heat_factors(
    line: FuelLine, spec: FuelSpec, year_rule: AccountingYearRule
) -> tuple[AccountingPath, Decimal, Decimal, tuple[str, ...]]:
    """NCV and carbon per heat for a line without measured carbon, and which path they put it on."""
    defaults: list[str] = []
    ncv = line.ncv_gj_per_unit
    if ncv is None:
        ncv = spec.default_ncv_gj_per_unit
        defaults.append("ncv_gj_per_unit")
    if line.cc_tc_per_gj is not None:
        path = AccountingPath.DEFAULT if defaults else AccountingPath.NCV_CC
        return path, ncv, line.cc_tc_per_gj, tuple(defaults)
    defaults.append("cc_tc_per_gj")
    if spec.is_coal:
        return AccountingPath.PENALTY, ncv, year_rule.unmeasured_coal_cc_tc_per_gj, tuple(defaults)
    return AccountingPath.DEFAULT, ncv, spec.default_cc_tc_per_gj, tuple(defaults)


def _combustion(amount: Decimal, carbon_per_unit: Decimal, oxidation: Decimal) -> Decimal:
    with localcontext(prec=_PRECISION):
        exact = amount * carbon_per_unit * oxidation * _CO2_PER_C_NUMERATOR / _CO2_PER_C_DENOMINATOR
    return round_line(exact)


def _electricity(purchased_mwh: Decimal | None, year_rule: AccountingYearRule) -> ElectricityResult | None:
    if purchased_mwh is None:
        return None
    factor = year_rule.grid_factor_t_per_mwh
    if not year_rule.purchased_electricity_counted or factor is None:
        return ElectricityResult(
            purchased_mwh, counted=False, grid_factor_t_per_mwh=None, emissions_tco2e=Decimal("0.00")
        )
    with localcontext(prec=_PRECISION):
        exact = purchased_mwh * factor
    return ElectricityResult(
        purchased_mwh, counted=True, grid_factor_t_per_mwh=factor, emissions_tco2e=round_line(exact)
    )


def _process_line(index: int, line: ProcessLine, processes: ProcessFactorTable) -> ProcessLineResult:
    measured = line.emission_factor_tco2_per_unit is not None
    factor = line.emission_factor_tco2_per_unit
    if factor is None:
        factor = processes.processes[line.process].factor_tco2_per_unit
    with localcontext(prec=_PRECISION):
        exact = line.amount * factor
    return ProcessLineResult(
        index=index,
        process=line.process,
        amount=line.amount,
        unit=line.unit,
        factor_tco2_per_unit=factor,
        measured_factor=measured,
        emissions_tco2e=round_line(exact),
    )
