"""Versioned reference data of the notify service (routes, departments, templates, delivery policy)
and the typed, cached loader that turns each TOML file into frozen domain tables."""

from carbon_notify.reference.loader import (
    ReferenceBundle,
    ReferenceKind,
    available_versions,
    latest_version,
    load_delivery_policy,
    load_departments,
    load_reference,
    load_routes,
    load_templates,
    version_in_force,
)

__all__ = [
    "ReferenceBundle",
    "ReferenceKind",
    "available_versions",
    "latest_version",
    "load_delivery_policy",
    "load_departments",
    "load_reference",
    "load_routes",
    "load_templates",
    "version_in_force",
]
