"""Holdings ledger (entries, postings, per-account holdings), obligations, allocations, holds, transfers.

Revision ID: allowance0002
Revises: allowance0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from carbon_shared.db.types import ExactDecimal, UtcDateTime

revision: str = "allowance0002"
down_revision: str | None = "allowance0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("sector", sa.String(length=50), nullable=True),
        sa.Column("county_code", sa.String(length=12), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_accounts")),
    )
    op.create_table(
        "allocations",
        sa.Column("allocation_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("previously_issued", sa.BigInteger(), nullable=False),
        sa.Column("credited", sa.BigInteger(), nullable=False),
        sa.Column("deducted_shortfall", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("allocation_id", name=op.f("pk_allocations")),
    )
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.create_index("ix_allocations_enterprise_year", ["enterprise_id", "year"], unique=False)

    op.create_table(
        "ccer_deposits",
        sa.Column("deposit_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("project_ref", sa.String(length=100), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("deposit_id", name=op.f("pk_ccer_deposits")),
    )
    with op.batch_alter_table("ccer_deposits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ccer_deposits_enterprise_id"), ["enterprise_id"], unique=False)

    op.create_table(
        "holdings",
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("account_kind", sa.String(length=16), nullable=False),
        sa.Column("instrument_code", sa.String(length=120), nullable=False),
        sa.Column("instrument_kind", sa.String(length=16), nullable=False),
        sa.Column("vintage", sa.Integer(), nullable=True),
        sa.Column("project_ref", sa.String(length=100), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_holdings_not_negative")),
        sa.PrimaryKeyConstraint("enterprise_id", "account_kind", "instrument_code", name=op.f("pk_holdings")),
    )
    op.create_table(
        "holds",
        sa.Column("hold_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("lots", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("made_entry_id", sa.String(length=36), nullable=False),
        sa.Column("released_entry_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("released_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("hold_id", name=op.f("pk_holds")),
    )
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_holds_enterprise_id"), ["enterprise_id"], unique=False)

    op.create_table(
        "ledger_entries",
        sa.Column(
            "seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("hold_id", sa.String(length=36), nullable=True),
        sa.Column("counterparty", sa.String(length=200), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_ledger_entries")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_ledger_entries_entry_id")),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_entries_enterprise_id"), ["enterprise_id"], unique=False)

    op.create_table(
        "obligations",
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.String(length=64), nullable=False),
        sa.Column("obligation_tco2e", ExactDecimal(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("surrendered_allowances", sa.BigInteger(), nullable=False),
        sa.Column("surrendered_ccer", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("fulfilled_on", sa.Date(), nullable=True),
        sa.Column("overdue_on", sa.Date(), nullable=True),
        sa.Column("established_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", "year", name=op.f("pk_obligations")),
    )
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.create_index("ix_obligations_status_due", ["status", "due_date"], unique=False)
        batch_op.create_index("ix_obligations_year_status", ["year", "status"], unique=False)

    op.create_table(
        "shortfall_deductions",
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("source_year", sa.Integer(), nullable=False),
        sa.Column("deduction_year", sa.Integer(), nullable=False),
        sa.Column("shortfall", sa.BigInteger(), nullable=False),
        sa.Column("remaining", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", "source_year", name=op.f("pk_shortfall_deductions")),
    )
    op.create_table(
        "surrenders",
        sa.Column("surrender_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("allowances", sa.BigInteger(), nullable=False),
        sa.Column("ccer", sa.BigInteger(), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("surrendered_on", sa.Date(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("surrender_id", name=op.f("pk_surrenders")),
    )
    with op.batch_alter_table("surrenders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_surrenders_enterprise_id"), ["enterprise_id"], unique=False)

    op.create_table(
        "transfers",
        sa.Column("transfer_id", sa.String(length=36), nullable=False),
        sa.Column("trade_ref", sa.String(length=100), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("instrument_kind", sa.String(length=16), nullable=False),
        sa.Column("vintage", sa.Integer(), nullable=True),
        sa.Column("project_ref", sa.String(length=100), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("counterparty", sa.String(length=200), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("transfer_id", name=op.f("pk_transfers")),
        sa.UniqueConstraint("trade_ref", name=op.f("uq_transfers_trade_ref")),
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transfers_enterprise_id"), ["enterprise_id"], unique=False)

    op.create_table(
        "ledger_postings",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("account_kind", sa.String(length=16), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=True),
        sa.Column("instrument_kind", sa.String(length=16), nullable=False),
        sa.Column("vintage", sa.Integer(), nullable=True),
        sa.Column("project_ref", sa.String(length=100), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("quantity <> 0", name=op.f("ck_ledger_postings_nonzero")),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["ledger_entries.entry_id"], name=op.f("fk_ledger_postings_entry_id_ledger_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_postings")),
    )
    with op.batch_alter_table("ledger_postings", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_postings_account", ["enterprise_id", "account_kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_postings_entry_id"), ["entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ledger_postings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_postings_entry_id"))
        batch_op.drop_index("ix_ledger_postings_account")

    op.drop_table("ledger_postings")
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfers_enterprise_id"))

    op.drop_table("transfers")
    with op.batch_alter_table("surrenders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_surrenders_enterprise_id"))

    op.drop_table("surrenders")
    op.drop_table("shortfall_deductions")
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.drop_index("ix_obligations_year_status")
        batch_op.drop_index("ix_obligations_status_due")

    op.drop_table("obligations")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_entries_enterprise_id"))

    op.drop_table("ledger_entries")
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_holds_enterprise_id"))

    op.drop_table("holds")
    op.drop_table("holdings")
    with op.batch_alter_table("ccer_deposits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ccer_deposits_enterprise_id"))

    op.drop_table("ccer_deposits")
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_index("ix_allocations_enterprise_year")

    op.drop_table("allocations")
    op.drop_table("accounts")
