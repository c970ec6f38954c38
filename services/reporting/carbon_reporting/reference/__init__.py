"""Versioned reference data of the reporting service (TOML files with their source) and a typed loader.

Every regulatory number the domain uses lives in a file here, never in code: fuel defaults and ranges,
accounting rules per reporting year (penalty carbon content, grid factors), process factors, deadlines,
State Council holiday calendars, data-quality thresholds.
"""

from carbon_reporting.reference.loader import (
    ReferenceKind,
    available_versions,
    latest_version,
    load_accounting_rules,
    load_deadline_rules,
    load_fuel_table,
    load_holiday_calendar,
    load_holiday_calendars,
    load_process_factors,
    load_quality_thresholds,
    version_in_force,
)

__all__ = [
    "ReferenceKind",
    "available_versions",
    "latest_version",
    "load_accounting_rules",
    "load_deadline_rules",
    "load_fuel_table",
    "load_holiday_calendar",
    "load_holiday_calendars",
    "load_process_factors",
    "load_quality_thresholds",
    "version_in_force",
]
