"""Load versioned reference files: `reference/<kind>/<version>.toml`, read with tomllib from the package.

Every loader takes an optional version: None means the newest (latest effective_from), a string pins a
version (tests, or replaying an old event under the table then in force; see `version_in_force`).
Results are cached: a file is parsed once per process.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from typing import Any, TypeVar

from carbon_registry.domain.agency import SanctionRule
from carbon_registry.domain.catalog import CountyTable, DepartmentTable, ProjectTypeTable, SectorTable
from carbon_registry.domain.directory_model import DirectoryRule
from carbon_registry.domain.errors import ReferenceDataInvalid, ReferenceVersionUnknown
from carbon_registry.domain.uscc import UsccStandard
from carbon_registry.reference._toml import Header, header
from carbon_registry.reference.parse import (
    parse_agency_sanctions,
    parse_counties,
    parse_departments,
    parse_directory_rule,
    parse_project_types,
    parse_sectors,
    parse_uscc_standard,
)

_SUFFIX = ".toml"
_Table = TypeVar("_Table")


class ReferenceKind(StrEnum):
    USCC = "uscc"
    DIVISIONS = "divisions"
    SECTORS = "sectors"
    DEPARTMENTS = "departments"
    CCER_PROJECT_TYPES = "ccer_project_types"
    KEY_EMITTER_DIRECTORY = "key_emitter_directory"
    AGENCY_SANCTIONS = "agency_sanctions"


def _folder(kind: ReferenceKind) -> Traversable:
    return resources.files(__package__).joinpath(kind.value)


def _parse_file(resource: Traversable, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(resource.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceDataInvalid(f"{origin}: not valid TOML: {exc}") from exc


def _read(kind: ReferenceKind, version: str) -> tuple[dict[str, Any], str]:
    origin = f"reference/{kind.value}/{version}{_SUFFIX}"
    resource = _folder(kind).joinpath(f"{version}{_SUFFIX}")
    if not resource.is_file():
        known = ", ".join(h.version for h in available_versions(kind))
        raise ReferenceVersionUnknown(f"no {kind.value} reference version {version!r}; known: {known}")
    data = _parse_file(resource, origin)
    declared = header(data, origin).version
    if declared != version:
        raise ReferenceDataInvalid(f"{origin}: declares version {declared!r}, file name says {version!r}")
    return data, origin


@cache
def available_versions(kind: ReferenceKind) -> tuple[Header, ...]:
    """Every version of `kind`, oldest effective_from first."""
    headers = [
        header(
            _parse_file(entry, f"reference/{kind.value}/{entry.name}"), f"reference/{kind.value}/{entry.name}"
        )
        for entry in _folder(kind).iterdir()
        if entry.name.endswith(_SUFFIX)
    ]
    return tuple(sorted(headers, key=lambda h: (h.effective_from, h.version)))


def latest_version(kind: ReferenceKind) -> str:
    versions = available_versions(kind)
    if not versions:
        raise ReferenceVersionUnknown(f"no {kind.value} reference file is installed")
    return versions[-1].version


def version_in_force(kind: ReferenceKind, *, on: dt.date) -> str:
    """The version whose effective_from is the latest one on or before `on`."""
    in_force = [h for h in available_versions(kind) if h.effective_from <= on]
    if not in_force:
        raise ReferenceVersionUnknown(f"no {kind.value} reference version was in force on {on.isoformat()}")
    return in_force[-1].version


def header_of(kind: ReferenceKind, version: str | None = None) -> Header:
    """Provenance (version, source, effective_from, note) of one file, to record beside a decision."""
    data, origin = _read(kind, version or latest_version(kind))
    return header(data, origin)


def _load(kind: ReferenceKind, version: str | None, parse: Callable[..., _Table]) -> _Table:
    data, origin = _read(kind, version or latest_version(kind))
    return parse(data, origin=origin)


@cache
def load_uscc_standard(version: str | None = None) -> UsccStandard:
    return _load(ReferenceKind.USCC, version, parse_uscc_standard)


@cache
def load_counties(version: str | None = None) -> CountyTable:
    return _load(ReferenceKind.DIVISIONS, version, parse_counties)


@cache
def load_sectors(version: str | None = None) -> SectorTable:
    return _load(ReferenceKind.SECTORS, version, parse_sectors)


@cache
def load_departments(version: str | None = None) -> DepartmentTable:
    return _load(ReferenceKind.DEPARTMENTS, version, parse_departments)


@cache
def load_project_types(version: str | None = None) -> ProjectTypeTable:
    return _load(ReferenceKind.CCER_PROJECT_TYPES, version, parse_project_types)


@cache
def load_directory_rule(version: str | None = None) -> DirectoryRule:
    return _load(ReferenceKind.KEY_EMITTER_DIRECTORY, version, parse_directory_rule)


@cache
def load_agency_sanctions(version: str | None = None) -> SanctionRule:
    return _load(ReferenceKind.AGENCY_SANCTIONS, version, parse_agency_sanctions)


@dataclass(frozen=True)
class RegistryReference:
    """Every table the registry's rules need, as in force on one day (or the newest)."""

    uscc: UsccStandard
    counties: CountyTable
    sectors: SectorTable
    departments: DepartmentTable
    project_types: ProjectTypeTable
    directory_rule: DirectoryRule
    agency_sanctions: SanctionRule
    versions: Mapping[ReferenceKind, str]


def load_reference(*, on: dt.date | None = None) -> RegistryReference:
    """The tables in force on `on` (None: the newest of each)."""
    versions = {kind: version_in_force(kind, on=on) if on else latest_version(kind) for kind in ReferenceKind}
    return RegistryReference(
        uscc=load_uscc_standard(versions[ReferenceKind.USCC]),
        counties=load_counties(versions[ReferenceKind.DIVISIONS]),
        sectors=load_sectors(versions[ReferenceKind.SECTORS]),
        departments=load_departments(versions[ReferenceKind.DEPARTMENTS]),
        project_types=load_project_types(versions[ReferenceKind.CCER_PROJECT_TYPES]),
        directory_rule=load_directory_rule(versions[ReferenceKind.KEY_EMITTER_DIRECTORY]),
        agency_sanctions=load_agency_sanctions(versions[ReferenceKind.AGENCY_SANCTIONS]),
        versions=versions,
    )
