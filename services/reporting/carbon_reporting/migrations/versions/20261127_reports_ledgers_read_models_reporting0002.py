"""Reports, transitions, flags, ledgers, deadline notices and the registry read models.

Revision ID: reporting0002
Revises: reporting0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import carbon_shared.db.types

revision: str = "reporting0002"
down_revision: str | None = "reporting0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("banned_until", sa.Date(), nullable=True),
        sa.Column("updated_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_agencies")),
    )
    op.create_table(
        "deadline_notices",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("emitted_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_deadline_notices")),
    )
    op.create_table(
        "emitter_listings",
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("updated_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", "year", name=op.f("pk_emitter_listings")),
    )
    op.create_table(
        "enterprises",
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=64), nullable=False),
        sa.Column("county_code", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("updated_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_enterprises")),
    )
    op.create_table(
        "ledgers",
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("emissions_tco2e", carbon_shared.db.types.ExactDecimal(), nullable=False),
        sa.Column("fuels", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("filed_by", sa.String(length=200), nullable=False),
        sa.Column("filed_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", "year", "month", name=op.f("pk_ledgers")),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("assigned_agency_id", sa.String(length=64), nullable=True),
        sa.Column("prepared_by_agency_id", sa.String(length=64), nullable=True),
        sa.Column("calculated_emissions_tco2e", carbon_shared.db.types.ExactDecimal(), nullable=False),
        sa.Column("verified_emissions_tco2e", carbon_shared.db.types.ExactDecimal(), nullable=True),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("activity", sa.JSON(), nullable=False),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.Column("falsification_suspected", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_assigned_agency_id", ["assigned_agency_id"], unique=False)
        batch_op.create_index("ix_reports_enterprise_id", ["enterprise_id"], unique=False)
        batch_op.create_index("ix_reports_year_id", ["year", "id"], unique=False)
        batch_op.create_index(
            "uq_reports_enterprise_year_live",
            ["enterprise_id", "year"],
            unique=True,
            postgresql_where=sa.text("status != 'withdrawn'"),
            sqlite_where=sa.text("status != 'withdrawn'"),
        )

    op.create_table(
        "report_flags",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("check_code", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("flagged_by", sa.String(length=200), nullable=False),
        sa.Column("at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_report_flags_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_flags")),
    )
    with op.batch_alter_table("report_flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_flags_report_id"), ["report_id"], unique=False)

    op.create_table(
        "report_transitions",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=False),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("actor_subject", sa.String(length=200), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=True),
        sa.Column("verified_emissions_tco2e", carbon_shared.db.types.ExactDecimal(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("at", carbon_shared.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_report_transitions_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_transitions")),
    )
    with op.batch_alter_table("report_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_transitions_report_id"), ["report_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_transitions_report_id"))

    op.drop_table("report_transitions")
    with op.batch_alter_table("report_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_flags_report_id"))

    op.drop_table("report_flags")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_reports_enterprise_year_live",
            postgresql_where=sa.text("status != 'withdrawn'"),
            sqlite_where=sa.text("status != 'withdrawn'"),
        )
        batch_op.drop_index("ix_reports_year_id")
        batch_op.drop_index("ix_reports_enterprise_id")
        batch_op.drop_index("ix_reports_assigned_agency_id")

    op.drop_table("reports")
    op.drop_table("ledgers")
    op.drop_table("enterprises")
    op.drop_table("emitter_listings")
    op.drop_table("deadline_notices")
    op.drop_table("agencies")
