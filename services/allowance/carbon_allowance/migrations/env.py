"""Alembic environment of the allowance service."""

from carbon_allowance.db.tables import metadata
from carbon_allowance.settings import AllowanceSettings
from carbon_shared.db.migrations import run_alembic_env

run_alembic_env(metadata, AllowanceSettings)
