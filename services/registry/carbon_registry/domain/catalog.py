"""The registry's lookup tables as frozen domain values: Zhongwei's divisions, market sectors,
responsible departments and CCER candidate project types.

They are built by `carbon_registry.reference` from versioned TOML files and passed into the rules; this
module only defines their shape and lookups. Every lookup of an unknown code raises an error whose
message lists the valid codes, so a 422 tells the caller what to send instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from carbon_registry.domain.errors import (
    UnknownCounty,
    UnknownDepartment,
    UnknownProjectType,
    UnknownSector,
)


class DivisionKind(StrEnum):
    DISTRICT = "district"
    COUNTY = "county"
    INDUSTRIAL_PARK = "industrial_park"


@dataclass(frozen=True)
class County:
    """A county-level unit of Zhongwei; the industrial park has no admin code, its code is `park`."""

    code: str
    name_zh: str
    name_en: str
    kind: DivisionKind


@dataclass(frozen=True)
class CountyTable:
    city_code: str
    city_name_zh: str
    counties: tuple[County, ...]

    def get(self, code: str) -> County:
        for county in self.counties:
            if county.code == code:
                return county
        known = ", ".join(f"{c.code} {c.name_zh}" for c in self.counties)
        raise UnknownCounty(f"county {code!r} is not in Zhongwei; use one of: {known}")

    def resolve(self, text: str) -> County:
        """A county by its code or its Chinese name (spreadsheets often carry the name)."""
        for county in self.counties:
            if text in (county.code, county.name_zh):
                return county
        return self.get(text)


@dataclass(frozen=True)
class SubSector:
    code: str
    name_zh: str
    national_market_from_year: int | None  # first emissions year under national allowances; None: not yet


@dataclass(frozen=True)
class Sector:
    code: str
    name_zh: str
    name_en: str
    sub_sectors: tuple[SubSector, ...]

    @property
    def national_market_covered(self) -> bool:
        """True when at least one sub-sector is under the national carbon market."""
        return any(sub.national_market_from_year is not None for sub in self.sub_sectors)

    def covered_in(self, year: int) -> bool:
        """True when some sub-sector's emissions of `year` are under national allowance management."""
        return any(
            sub.national_market_from_year is not None and sub.national_market_from_year <= year
            for sub in self.sub_sectors
        )


@dataclass(frozen=True)
class SectorTable:
    sectors: tuple[Sector, ...]

    def get(self, code: str) -> Sector:
        for sector in self.sectors:
            if sector.code == code:
                return sector
        known = ", ".join(f"{s.code} {s.name_zh}" for s in self.sectors)
        raise UnknownSector(f"sector {code!r} is unknown; use one of: {known}")

    def resolve(self, text: str) -> Sector:
        """A sector by its code or its Chinese name."""
        for sector in self.sectors:
            if text in (sector.code, sector.name_zh):
                return sector
        return self.get(text)


@dataclass(frozen=True)
class Department:
    code: str
    name_zh: str
    name_en: str
    county_government: bool


@dataclass(frozen=True)
class DepartmentTable:
    departments: tuple[Department, ...]

    def get(self, code: str) -> Department:
        for department in self.departments:
            if department.code == code:
                return department
        known = ", ".join(d.code for d in self.departments)
        raise UnknownDepartment(f"department {code!r} is unknown; use one of: {known}")


@dataclass(frozen=True)
class ProjectType:
    """A CCER candidate project type of the city list (seed plan task 11)."""

    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class ProjectTypeTable:
    project_types: tuple[ProjectType, ...]

    def get(self, code: str) -> ProjectType:
        for project_type in self.project_types:
            if project_type.code == code:
                return project_type
        known = ", ".join(f"{p.code} {p.name_zh}" for p in self.project_types)
        raise UnknownProjectType(f"CCER project type {code!r} is unknown; use one of: {known}")
