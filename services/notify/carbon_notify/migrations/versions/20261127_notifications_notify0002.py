"""Notify tables: read models, event log, notifications (unique per event, recipient, channel),
webhook subscriptions and deliveries, the delivery attempt log.

Revision ID: notify0002
Revises: notify0001
Create Date: 2026-11-27 03:05:21.470104
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import carbon_shared.db.types

revision: str = "notify0002"
down_revision: str | None = "notify0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("updated_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_agencies")),
    )
    op.create_table(
        "delivery_attempts",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("state_after", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_attempts")),
    )
    with op.batch_alter_table("delivery_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_delivery_attempts_target", ["channel", "target_id"], unique=False)

    op.create_table(
        "enterprises",
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("county_code", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.Column("updated_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_enterprises")),
    )
    op.create_table(
        "event_log",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("occurred_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("stored_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_log")),
        sa.UniqueConstraint("event_id", name=op.f("uq_event_log_event_id")),
    )
    with op.batch_alter_table("event_log", schema=None) as batch_op:
        batch_op.create_index("ix_event_log_subject", ["subject", "id"], unique=False)

    op.create_table(
        "notifications",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("recipient_kind", sa.String(length=20), nullable=False),
        sa.Column("recipient_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sms_text", sa.Text(), nullable=False),
        sa.Column("addresses", sa.JSON(), nullable=False),
        sa.Column("created_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("read_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint(
            "event_id", "recipient_kind", "recipient_id", "channel", name="uq_notifications_triple"
        ),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_due", ["channel", "state", "next_attempt_at"], unique=False)
        batch_op.create_index(
            "ix_notifications_inbox", ["recipient_kind", "recipient_id", "id"], unique=False
        )

    op.create_table(
        "parked_events",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("parked_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_parked_events")),
    )
    with op.batch_alter_table("parked_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parked_events_enterprise_id"), ["enterprise_id"], unique=False)

    op.create_table(
        "webhook_deliveries",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("notification_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("subscription_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("redeliveries", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint("notification_id", "subscription_id", name="uq_webhook_deliveries_target"),
    )
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_deliveries_due", ["state", "next_attempt_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_webhook_deliveries_subscription_id"), ["subscription_id"], unique=False
        )

    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_kind", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("active", sa.Integer(), nullable=False),
        sa.Column("created_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscriptions")),
    )
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_subscriptions_owner", ["owner_kind", "owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_subscriptions_owner")

    op.drop_table("webhook_subscriptions")
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_deliveries_subscription_id"))
        batch_op.drop_index("ix_webhook_deliveries_due")

    op.drop_table("webhook_deliveries")
    with op.batch_alter_table("parked_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parked_events_enterprise_id"))

    op.drop_table("parked_events")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_inbox")
        batch_op.drop_index("ix_notifications_due")

    op.drop_table("notifications")
    with op.batch_alter_table("event_log", schema=None) as batch_op:
        batch_op.drop_index("ix_event_log_subject")

    op.drop_table("event_log")
    op.drop_table("enterprises")
    with op.batch_alter_table("delivery_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_delivery_attempts_target")

    op.drop_table("delivery_attempts")
    op.drop_table("agencies")
