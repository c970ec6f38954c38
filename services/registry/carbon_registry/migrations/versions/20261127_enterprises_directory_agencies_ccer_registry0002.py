"""Registry tables: enterprises and their history, the key-emitter directory (verified emissions, status,
manual actions, published changes), agencies and their findings, CCER candidate projects.

Revision ID: registry0002
Revises: registry0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from carbon_shared.db.types import ExactDecimal, UtcDateTime

revision: str = "registry0002"
down_revision: str | None = "registry0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("agency_id", sa.String(length=36), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("banned_until", sa.Date(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("uscc", name=op.f("uq_agencies_uscc")),
    )
    op.create_table(
        "agency_findings",
        sa.Column("finding_id", sa.String(length=36), nullable=False),
        sa.Column("agency_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("banned_until", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("finding_id", name=op.f("pk_agency_findings")),
    )
    with op.batch_alter_table("agency_findings", schema=None) as batch_op:
        batch_op.create_index("ix_agency_findings_agency_id", ["agency_id", "source"], unique=False)

    op.create_table(
        "ccer_projects",
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("project_type", sa.String(length=32), nullable=False),
        sa.Column("county_code", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("owner_enterprise_id", sa.String(length=36), nullable=True),
        sa.Column("estimated_annual_reduction_tco2e", ExactDecimal(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_ccer_projects")),
    )
    op.create_table(
        "directory_actions",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_actions")),
    )
    with op.batch_alter_table("directory_actions", schema=None) as batch_op:
        batch_op.create_index("ix_directory_actions_enterprise_id", ["enterprise_id", "id"], unique=False)

    op.create_table(
        "directory_changes",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=8), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("basis", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_changes")),
    )
    with op.batch_alter_table("directory_changes", schema=None) as batch_op:
        batch_op.create_index("ix_directory_changes_enterprise_id", ["enterprise_id", "id"], unique=False)

    op.create_table(
        "directory_status",
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("listing_rule", sa.String(length=16), nullable=True),
        sa.Column("exit_rule", sa.String(length=16), nullable=True),
        sa.Column("basis", sa.JSON(), nullable=False),
        sa.Column("basis_year", sa.Integer(), nullable=True),
        sa.Column("basis_emissions_tco2e", ExactDecimal(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", "year", name=op.f("pk_directory_status")),
    )
    with op.batch_alter_table("directory_status", schema=None) as batch_op:
        batch_op.create_index("ix_directory_status_year", ["year", "listed", "enterprise_id"], unique=False)

    op.create_table(
        "enterprise_history",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_history")),
    )
    with op.batch_alter_table("enterprise_history", schema=None) as batch_op:
        batch_op.create_index("ix_enterprise_history_enterprise_id", ["enterprise_id", "id"], unique=False)

    op.create_table(
        "enterprises",
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=32), nullable=False),
        sa.Column("county_code", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closure_reason", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("legal_representative", sa.String(length=100), nullable=True),
        sa.Column("industry_code", sa.String(length=8), nullable=True),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.Column("facilities", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_enterprises")),
        sa.UniqueConstraint("uscc", name=op.f("uq_enterprises_uscc")),
    )
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.create_index("ix_enterprises_county_code", ["county_code", "enterprise_id"], unique=False)
        batch_op.create_index("ix_enterprises_sector", ["sector", "enterprise_id"], unique=False)

    op.create_table(
        "verified_emissions",
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("emissions_tco2e", ExactDecimal(), nullable=False),
        sa.Column("report_id", sa.String(length=64), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", "year", "revision", name=op.f("pk_verified_emissions")),
    )


def downgrade() -> None:
    op.drop_table("verified_emissions")
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.drop_index("ix_enterprises_sector")
        batch_op.drop_index("ix_enterprises_county_code")

    op.drop_table("enterprises")
    with op.batch_alter_table("enterprise_history", schema=None) as batch_op:
        batch_op.drop_index("ix_enterprise_history_enterprise_id")

    op.drop_table("enterprise_history")
    with op.batch_alter_table("directory_status", schema=None) as batch_op:
        batch_op.drop_index("ix_directory_status_year")

    op.drop_table("directory_status")
    with op.batch_alter_table("directory_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_directory_changes_enterprise_id")

    op.drop_table("directory_changes")
    with op.batch_alter_table("directory_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_directory_actions_enterprise_id")

    op.drop_table("directory_actions")
    op.drop_table("ccer_projects")
    with op.batch_alter_table("agency_findings", schema=None) as batch_op:
        batch_op.drop_index("ix_agency_findings_agency_id")

    op.drop_table("agency_findings")
    op.drop_table("agencies")
