"""Alembic environment of the registry service."""

from carbon_registry.db.tables import metadata
from carbon_registry.settings import RegistrySettings
from carbon_shared.db.migrations import run_alembic_env

run_alembic_env(metadata, RegistrySettings)
