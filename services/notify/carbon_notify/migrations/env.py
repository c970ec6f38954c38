"""Alembic environment of the notify service."""

from carbon_notify.db.tables import metadata
from carbon_notify.settings import NotifySettings
from carbon_shared.db.migrations import run_alembic_env

run_alembic_env(metadata, NotifySettings)
