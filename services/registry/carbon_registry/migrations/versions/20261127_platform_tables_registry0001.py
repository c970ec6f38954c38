"""Platform tables: outbox, processed events, idempotency keys.

Revision ID: registry0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from carbon_shared.db.platform_migrations import create_platform_tables_v1, drop_platform_tables_v1

revision: str = "registry0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_platform_tables_v1()


def downgrade() -> None:
    drop_platform_tables_v1()
