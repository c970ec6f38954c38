"""Alembic environment of the reporting service."""

from carbon_reporting.db.tables import metadata
from carbon_reporting.settings import ReportingSettings
from carbon_shared.db.migrations import run_alembic_env

run_alembic_env(metadata, ReportingSettings)
