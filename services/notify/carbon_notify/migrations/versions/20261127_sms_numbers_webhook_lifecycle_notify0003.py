"""Department SMS numbers, per-phone SMS delivery progress, webhook deletion.

Revision ID: notify0003
Revises: notify0002
Create Date: 2026-11-27 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import carbon_shared.db.types

revision: str = "notify0003"
down_revision: str | None = "notify0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sms_numbers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_kind", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_numbers")),
        sa.UniqueConstraint("owner_kind", "owner_id", "phone", name="uq_sms_numbers_owner_phone"),
    )
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("delivered_to", sa.JSON(), nullable=True))
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.add_column(
            sa.Column("deleted_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.drop_column("deleted_at")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("delivered_to")
    op.drop_table("sms_numbers")
