"""Turn parsed reference TOML into the registry's frozen domain tables; every error names file and key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carbon_registry.domain.agency import SanctionRule, ViolationKind
from carbon_registry.domain.catalog import (
    County,
    CountyTable,
    Department,
    DepartmentTable,
    DivisionKind,
    ProjectType,
    ProjectTypeTable,
    Sector,
    SectorTable,
    SubSector,
)
from carbon_registry.domain.directory_model import DirectoryRule
from carbon_registry.domain.errors import ReferenceDataInvalid
from carbon_registry.domain.uscc import UsccStandard
from carbon_registry.reference._toml import boolean, decimal, fail, integer, optional_integer, table, text


def _rewrap(origin: str, error: ReferenceDataInvalid) -> ReferenceDataInvalid:
    return error if error.message.startswith(origin) else fail(origin, error.message)


def parse_uscc_standard(data: Mapping[str, Any], *, origin: str) -> UsccStandard:
    weights = data.get("weights")
    if not isinstance(weights, list) or not all(
        isinstance(w, int) and not isinstance(w, bool) for w in weights
    ):
        raise fail(origin, "weights must be a list of integers")
    try:
        return UsccStandard(
            charset=text(data, "charset", origin),
            weights=tuple(weights),
            length=integer(data, "length", origin),
            division_first_position=integer(data, "division_first_position", origin),
            division_last_position=integer(data, "division_last_position", origin),
        )
    except ReferenceDataInvalid as error:
        raise _rewrap(origin, error) from error


def parse_counties(data: Mapping[str, Any], *, origin: str) -> CountyTable:
    counties = []
    for code, entry in table(data, "counties", origin).items():
        where = f"{origin} [counties.{code}]"
        kind = text(entry, "kind", where)
        if kind not in {k.value for k in DivisionKind}:
            raise fail(where, f"kind {kind!r} is not one of {', '.join(k.value for k in DivisionKind)}")
        counties.append(
            County(
                code=code,
                name_zh=text(entry, "name_zh", where),
                name_en=text(entry, "name_en", where),
                kind=DivisionKind(kind),
            )
        )
    return CountyTable(
        city_code=text(data, "city_code", origin),
        city_name_zh=text(data, "city_name_zh", origin),
        counties=tuple(counties),
    )


def _sub_sectors(entry: Mapping[str, Any], *, where: str) -> tuple[SubSector, ...]:
    raw = entry.get("sub_sectors")
    if not isinstance(raw, list) or not raw:
        raise fail(where, "sub_sectors must be a non-empty list of tables")
    return tuple(
        SubSector(
            code=text(sub, "code", where),
            name_zh=text(sub, "name_zh", where),
            national_market_from_year=optional_integer(sub, "national_market_from_year", where),
        )
        for sub in raw
    )


def parse_sectors(data: Mapping[str, Any], *, origin: str) -> SectorTable:
    sectors = []
    for code, entry in table(data, "sectors", origin).items():
        where = f"{origin} [sectors.{code}]"
        sectors.append(
            Sector(
                code=code,
                name_zh=text(entry, "name_zh", where),
                name_en=text(entry, "name_en", where),
                sub_sectors=_sub_sectors(entry, where=where),
            )
        )
    return SectorTable(sectors=tuple(sectors))


def parse_departments(data: Mapping[str, Any], *, origin: str) -> DepartmentTable:
    departments = []
    for code, entry in table(data, "departments", origin).items():
        where = f"{origin} [departments.{code}]"
        departments.append(
            Department(
                code=code,
                name_zh=text(entry, "name_zh", where),
                name_en=text(entry, "name_en", where),
                county_government=boolean(entry, "county_government", where),
            )
        )
    return DepartmentTable(departments=tuple(departments))


def parse_project_types(data: Mapping[str, Any], *, origin: str) -> ProjectTypeTable:
    types = []
    for code, entry in table(data, "project_types", origin).items():
        where = f"{origin} [project_types.{code}]"
        types.append(
            ProjectType(
                code=code, name_zh=text(entry, "name_zh", where), name_en=text(entry, "name_en", where)
            )
        )
    return ProjectTypeTable(project_types=tuple(types))


def parse_directory_rule(data: Mapping[str, Any], *, origin: str) -> DirectoryRule:
    try:
        return DirectoryRule(
            threshold_tco2e=decimal(data, "threshold_tco2e", origin),
            energy_equivalent_tce=decimal(data, "energy_equivalent_tce", origin),
            years_below_to_delist=integer(data, "years_below_to_delist", origin),
            listing_offset_years=integer(data, "listing_offset_years", origin),
        )
    except ReferenceDataInvalid as error:
        raise _rewrap(origin, error) from error


def parse_agency_sanctions(data: Mapping[str, Any], *, origin: str) -> SanctionRule:
    months = table(data, "ban_months", origin)
    unknown = set(months) - {kind.value for kind in ViolationKind}
    if unknown:
        raise fail(origin, f"[ban_months] has unknown finding kinds: {', '.join(sorted(unknown))}")
    try:
        return SanctionRule(
            ban_months={ViolationKind(kind): integer(months, kind, origin) for kind in months}
        )
    except ReferenceDataInvalid as error:
        raise _rewrap(origin, error) from error
