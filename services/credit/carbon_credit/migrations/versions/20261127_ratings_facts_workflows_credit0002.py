"""Credit tables: subjects (current rating), facts, rating history, repairs, complaints, overdue obligations.

Revision ID: credit0002
Revises: credit0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from carbon_shared.db.types import UtcDateTime

revision: str = "credit0002"
down_revision: str | None = "credit0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "complaints",
        sa.Column("complaint_id", sa.String(length=36), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filed_at", UtcDateTime(), nullable=False),
        sa.Column("triaged_at", UtcDateTime(), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("concluded_at", UtcDateTime(), nullable=True),
        sa.Column("finding", sa.Text(), nullable=True),
        sa.Column("fact_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("complaint_id", name=op.f("pk_complaints")),
    )
    op.create_index("ix_complaints_client_key", "complaints", ["client_key", "filed_at"])
    op.create_index("ix_complaints_status", "complaints", ["status", "filed_at"])

    op.create_table(
        "facts",
        sa.Column("fact_id", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("cause", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("fact_id", name=op.f("pk_facts")),
    )
    op.create_index("ix_facts_subject_id", "facts", ["subject_id", "occurred_at"])

    op.create_table(
        "overdue_obligations",
        sa.Column("overdue_event_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("fulfilled_at", UtcDateTime(), nullable=True),
        sa.Column("refusal_fact_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("overdue_event_id", name=op.f("pk_overdue_obligations")),
    )
    op.create_index("ix_overdue_obligations_enterprise_id", "overdue_obligations", ["enterprise_id", "year"])

    op.create_table(
        "rating_history",
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("cause_event_id", sa.String(length=64), nullable=False),
        sa.Column("cause", sa.String(length=64), nullable=False),
        sa.Column("fact_id", sa.String(length=64), nullable=False),
        sa.Column("level_before", sa.String(length=8), nullable=False),
        sa.Column("level_after", sa.String(length=8), nullable=False),
        sa.Column("points_before", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("rule_version", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("subject_id", "seq", name=op.f("pk_rating_history")),
    )
    op.create_table(
        "repairs",
        sa.Column("repair_id", sa.String(length=36), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("fact_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("filed_by", sa.String(length=200), nullable=False),
        sa.Column("filed_at", UtcDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("effective_from", UtcDateTime(), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("repair_id", name=op.f("pk_repairs")),
    )
    op.create_index("ix_repairs_fact_id", "repairs", ["fact_id"])
    op.create_index("ix_repairs_subject_id", "repairs", ["subject_id", "status"])

    op.create_table(
        "service_config",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_service_config")),
    )
    op.create_table(
        "subjects",
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("rule_version", sa.String(length=32), nullable=False),
        sa.Column("observed_until", UtcDateTime(), nullable=True),
        sa.Column("next_expiry_at", UtcDateTime(), nullable=True),
        sa.Column("level_since", UtcDateTime(), nullable=True),
        sa.Column("registered_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_subjects")),
    )
    op.create_index("ix_subjects_level", "subjects", ["level", "subject_id"])
    op.create_index("ix_subjects_next_expiry_at", "subjects", ["next_expiry_at"])


def downgrade() -> None:
    op.drop_index("ix_subjects_next_expiry_at", table_name="subjects")
    op.drop_index("ix_subjects_level", table_name="subjects")

    op.drop_table("subjects")
    op.drop_table("service_config")
    op.drop_index("ix_repairs_subject_id", table_name="repairs")
    op.drop_index("ix_repairs_fact_id", table_name="repairs")

    op.drop_table("repairs")
    op.drop_table("rating_history")
    op.drop_index("ix_overdue_obligations_enterprise_id", table_name="overdue_obligations")

    op.drop_table("overdue_obligations")
    op.drop_index("ix_facts_subject_id", table_name="facts")

    op.drop_table("facts")
    op.drop_index("ix_complaints_status", table_name="complaints")
    op.drop_index("ix_complaints_client_key", table_name="complaints")

    op.drop_table("complaints")
