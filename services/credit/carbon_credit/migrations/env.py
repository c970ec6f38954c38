"""Alembic environment of the credit service."""

from carbon_credit.db.tables import metadata
from carbon_credit.settings import CreditSettings
from carbon_shared.db.migrations import run_alembic_env

run_alembic_env(metadata, CreditSettings)
