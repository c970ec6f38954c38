"""The allowance service's tables (the platform's outbox/inbox tables come from carbon_shared.db).

The holdings ledger is `ledger_entries` + `ledger_postings` (append-only: rows are inserted, never
updated or deleted). `holdings` is the per-account balance of each enterprise account, updated in the
same transaction as the postings while the `accounts` row is locked, so it always equals the sum of
the postings (a test checks it); system accounts (issuance, surrendered, external...) are not kept
there, their balances are only ever derived.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from carbon_shared.db import ExactDecimal, UtcDateTime, make_metadata
from carbon_shared.db.tables import BigId

metadata = make_metadata()

ENTERPRISE_ID = 64

# The read model of registry enterprises; a row is also the lock every ledger change takes first.
accounts = Table(
    "accounts",
    metadata,
    Column("enterprise_id", String(ENTERPRISE_ID), primary_key=True),
    Column("uscc", String(18), nullable=True),
    Column("name", String(200), nullable=True),
    Column("sector", String(50), nullable=True),
    Column("county_code", String(12), nullable=True),
    # registered | closed | unregistered (a verified report arrived before the registry's event)
    Column("status", String(16), nullable=False),
    Column("closed_on", Date, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("seq", BigId, primary_key=True, autoincrement=True),
    Column("entry_id", String(36), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("enterprise_id", String(ENTERPRISE_ID), nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("hold_id", String(36), nullable=True),
    Column("counterparty", String(200), nullable=True),
    Column("reference", String(100), nullable=True),
)

ledger_postings = Table(
    "ledger_postings",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("entry_id", String(36), ForeignKey("ledger_entries.entry_id"), nullable=False, index=True),
    Column("account_kind", String(16), nullable=False),
    Column("enterprise_id", String(ENTERPRISE_ID), nullable=True),
    Column("instrument_kind", String(16), nullable=False),
    Column("vintage", Integer, nullable=True),
    Column("project_ref", String(100), nullable=True),
    Column("quantity", BigInteger, nullable=False),
    CheckConstraint("quantity <> 0", name="nonzero"),
)
Index("ix_ledger_postings_account", ledger_postings.c.enterprise_id, ledger_postings.c.account_kind)

holdings = Table(
    "holdings",
    metadata,
    Column("enterprise_id", String(ENTERPRISE_ID), primary_key=True),
    Column("account_kind", String(16), primary_key=True),
    Column("instrument_code", String(120), primary_key=True),
    Column("instrument_kind", String(16), nullable=False),
    Column("vintage", Integer, nullable=True),
    Column("project_ref", String(100), nullable=True),
    Column("quantity", BigInteger, nullable=False),
    CheckConstraint("quantity >= 0", name="not_negative"),
)

obligations = Table(
    "obligations",
    metadata,
    Column("enterprise_id", String(ENTERPRISE_ID), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("report_id", String(64), nullable=False),
    Column("obligation_tco2e", ExactDecimal, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("surrendered_allowances", BigInteger, nullable=False),
    Column("surrendered_ccer", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),  # open | fulfilled | overdue
    Column("fulfilled_on", Date, nullable=True),
    Column("overdue_on", Date, nullable=True),  # the as-of date of the check that marked it overdue
    Column("established_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
# The deadline check reads only open obligations past their due date.
Index("ix_obligations_status_due", obligations.c.status, obligations.c.due_date)
Index("ix_obligations_year_status", obligations.c.year, obligations.c.status)

allocations = Table(
    "allocations",
    metadata,
    Column("allocation_id", String(36), primary_key=True),
    Column("enterprise_id", String(ENTERPRISE_ID), nullable=False),
    Column("year", Integer, nullable=False),
    Column("kind", String(8), nullable=False),  # pre | final
    Column("amount", BigInteger, nullable=False),
    Column("previously_issued", BigInteger, nullable=False),
    Column("credited", BigInteger, nullable=False),
    Column("deducted_shortfall", BigInteger, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
Index("ix_allocations_enterprise_year", allocations.c.enterprise_id, allocations.c.year)

# A shortfall the deadline check found, to be withheld from the allocation of `deduction_year`.
shortfall_deductions = Table(
    "shortfall_deductions",
    metadata,
    Column("enterprise_id", String(ENTERPRISE_ID), primary_key=True),
    Column("source_year", Integer, primary_key=True),
    Column("deduction_year", Integer, nullable=False),
    Column("shortfall", BigInteger, nullable=False),
    Column("remaining", BigInteger, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

surrenders = Table(
    "surrenders",
    metadata,
    Column("surrender_id", String(36), primary_key=True),
    Column("enterprise_id", String(ENTERPRISE_ID), nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("allowances", BigInteger, nullable=False),
    Column("ccer", BigInteger, nullable=False),
    Column("entry_id", String(36), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("surrendered_on", Date, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

ccer_deposits = Table(
    "ccer_deposits",
    metadata,
    Column("deposit_id", String(36), primary_key=True),
    Column("enterprise_id", String(ENTERPRISE_ID), nullable=False, index=True),
    Column("amount", BigInteger, nullable=False),
    Column("project_ref", String(100), nullable=False),
    Column("entry_id", String(36), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# Pledges and judicial freezes; `lots` records exactly which units the hold took, for its release.
holds = Table(
    "holds",
    metadata,
    Column("hold_id", String(36), primary_key=True),
    Column("kind", String(16), nullable=False),  # pledge | judicial_freeze
    Column("enterprise_id", String(ENTERPRISE_ID), nullable=False, index=True),
    Column("holder", String(200), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("lots", JSON, nullable=False),
    Column("status", String(16), nullable=False),  # open | released
    Column("reason", Text, nullable=False),
    Column("made_entry_id", String(36), nullable=False),
    Column("released_entry_id", String(36), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("released_at", UtcDateTime, nullable=True),
)

# Trades settled on the national exchange, imported by the region or the regulator.
transfers = Table(
    "transfers",
    metadata,
    Column("transfer_id", String(36), primary_key=True),
    Column("trade_ref", String(100), nullable=False, unique=True),
    Column("enterprise_id", String(ENTERPRISE_ID), nullable=False, index=True),
    Column("direction", String(4), nullable=False),  # in | out
    Column("instrument_kind", String(16), nullable=False),
    Column("vintage", Integer, nullable=True),
    Column("project_ref", String(100), nullable=True),
    Column("amount", BigInteger, nullable=False),
    Column("counterparty", String(200), nullable=False),
    Column("settled_on", Date, nullable=False),
    Column("entry_id", String(36), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
