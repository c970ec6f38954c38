"""Validation of activity data against the reference tables, before any arithmetic.

Every problem is collected (not only the first) so the caller can fix a report in one pass; each names the
field in the caller's input shape, e.g. `fuels[2].oxidation`.
"""

from __future__ import annotations

from decimal import Decimal

from carbon_reporting.domain.activity import Facility, FuelLine, ProcessLine, ReportActivity
from carbon_reporting.domain.errors import FieldIssue, InvalidActivityData
from carbon_reporting.domain.rules import FuelTable, ProcessFactorTable

_ZERO = Decimal(0)
_ONE = Decimal(1)


def validate_activity(*, activity: ReportActivity, fuels: FuelTable, processes: ProcessFactorTable) -> None:
    """Raise `InvalidActivityData` listing every invalid field; return None when the data can be accounted."""
    issues: list[FieldIssue] = []
    if not activity.facilities:
        issues.append(FieldIssue("facilities", "a report needs at least one facility"))
    names = [facility.name for facility in activity.facilities]
    for index, facility in enumerate(activity.facilities):
        prefix = activity.loc_prefix(index)
        if names.count(facility.name) > 1:
            issues.append(FieldIssue(f"{prefix}name", f"facility name {facility.name!r} is used twice"))
        issues.extend(_facility_issues(facility, prefix, fuels, processes))
    if issues:
        raise InvalidActivityData(tuple(issues))


def _facility_issues(
    facility: Facility, prefix: str, fuels: FuelTable, processes: ProcessFactorTable
) -> list[FieldIssue]:
    issues: list[FieldIssue] = []
    for index, line in enumerate(facility.fuels):
        issues.extend(_fuel_issues(line, f"{prefix}fuels[{index}]", fuels))
    for index, process in enumerate(facility.processes):
        issues.extend(_process_issues(process, f"{prefix}processes[{index}]", processes))
    quantities = {
        "purchased_electricity_mwh": facility.purchased_electricity_mwh,
        "electricity_generated_mwh": facility.electricity_generated_mwh,
        "heat_supplied_gj": facility.heat_supplied_gj,
    }
    for field, value in quantities.items():
        if value is not None and not _non_negative(value):
            issues.append(FieldIssue(f"{prefix}{field}", "must be a number >= 0"))
    return issues


def _fuel_issues(line: FuelLine, loc: str, fuels: FuelTable) -> list[FieldIssue]:
    issues: list[FieldIssue] = []
    spec = fuels.fuels.get(line.fuel)
    if spec is None:
        known = ", ".join(sorted(fuels.fuels))
        issues.append(FieldIssue(f"{loc}.fuel", f"unknown fuel {line.fuel!r}; known fuels: {known}"))
    if line.unit not in fuels.known_units:
        known = ", ".join(fuels.known_units)
        issues.append(FieldIssue(f"{loc}.unit", f"unknown unit {line.unit!r}; known units: {known}"))
    elif spec is not None and line.unit not in spec.units:
        allowed = ", ".join(spec.units)
        issues.append(FieldIssue(f"{loc}.unit", f"{line.fuel} is reported in {allowed}, not {line.unit}"))
    if not _non_negative(line.amount):
        issues.append(FieldIssue(f"{loc}.amount", "must be a number >= 0"))
    measured = {
        "carbon_tc_per_unit": line.carbon_tc_per_unit,
        "ncv_gj_per_unit": line.ncv_gj_per_unit,
        "cc_tc_per_gj": line.cc_tc_per_gj,
    }
    for field, value in measured.items():
        if value is not None and not _positive(value):
            issues.append(FieldIssue(f"{loc}.{field}", "a measured value must be a number > 0"))
    if line.oxidation is not None and not (_positive(line.oxidation) and line.oxidation <= _ONE):
        issues.append(FieldIssue(f"{loc}.oxidation", "must be in (0, 1]: a fraction, not a percentage"))
    return issues


def _process_issues(line: ProcessLine, loc: str, processes: ProcessFactorTable) -> list[FieldIssue]:
    issues: list[FieldIssue] = []
    factor = processes.processes.get(line.process)
    if factor is None:
        known = ", ".join(sorted(processes.processes))
        issues.append(FieldIssue(f"{loc}.process", f"unknown process {line.process!r}; known: {known}"))
    elif line.unit != factor.unit:
        issues.append(
            FieldIssue(f"{loc}.unit", f"{line.process} is reported in {factor.unit}, not {line.unit}")
        )
    if not _non_negative(line.amount):
        issues.append(FieldIssue(f"{loc}.amount", "must be a number >= 0"))
    override = line.emission_factor_tco2_per_unit
    if override is not None and not _non_negative(override):
        issues.append(FieldIssue(f"{loc}.emission_factor_tco2_per_unit", "must be a number >= 0"))
    return issues


def _non_negative(value: Decimal) -> bool:
    return value.is_finite() and value >= _ZERO


def _positive(value: Decimal) -> bool:
    return value.is_finite() and value > _ZERO
