"""Versioned reference data of the registry service (USCC code structure, Zhongwei's divisions, sectors,
departments, CCER project types, the key-emitter directory rule) and the typed, cached loader."""

from carbon_registry.reference.loader import (
    ReferenceKind,
    RegistryReference,
    available_versions,
    header_of,
    latest_version,
    load_agency_sanctions,
    load_counties,
    load_departments,
    load_directory_rule,
    load_project_types,
    load_reference,
    load_sectors,
    load_uscc_standard,
    version_in_force,
)

__all__ = [
    "ReferenceKind",
    "RegistryReference",
    "available_versions",
    "header_of",
    "latest_version",
    "load_agency_sanctions",
    "load_counties",
    "load_departments",
    "load_directory_rule",
    "load_project_types",
    "load_reference",
    "load_sectors",
    "load_uscc_standard",
    "version_in_force",
]
