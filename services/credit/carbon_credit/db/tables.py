"""The credit service's tables (the platform's outbox/inbox tables come from carbon_shared.db).

A subject's rating is a function of its stored facts, its approved repairs, a rule-table version and
the latest instant it was evaluated at (`observed_until`): the `subjects` row keeps the last two and the
current level/points for fast reads, `rating_history` keeps the history lines in order (`seq`).
"""

from sqlalchemy import JSON, Column, Date, Index, Integer, String, Table, Text

from carbon_shared.db import UtcDateTime, make_metadata

metadata = make_metadata()

ID = 64  # subject ids from the registry, event ids (UUID) and derived ids all fit

subjects = Table(
    "subjects",
    metadata,
    Column("subject_id", String(ID), primary_key=True),
    Column("subject_kind", String(16), nullable=False),
    Column("name", String(200), nullable=True),
    Column("status", String(16), nullable=False),
    Column("level", String(8), nullable=False),
    Column("points", Integer, nullable=False),
    Column("rule_version", String(32), nullable=False),
    Column("observed_until", UtcDateTime, nullable=True),
    Column("next_expiry_at", UtcDateTime, nullable=True),
    Column("level_since", UtcDateTime, nullable=True),
    Column("registered_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
Index("ix_subjects_level", subjects.c.level, subjects.c.subject_id)
Index("ix_subjects_next_expiry_at", subjects.c.next_expiry_at)

facts = Table(
    "facts",
    metadata,
    Column("fact_id", String(ID), primary_key=True),  # the causing envelope's event_id: one row per fact
    Column("subject_id", String(ID), nullable=False),
    Column("subject_kind", String(16), nullable=False),
    Column("cause", String(64), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("details", JSON, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)
Index("ix_facts_subject_id", facts.c.subject_id, facts.c.occurred_at)

rating_history = Table(
    "rating_history",
    metadata,
    Column("subject_id", String(ID), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("cause_event_id", String(ID), nullable=False),
    Column("cause", String(64), nullable=False),
    Column("fact_id", String(ID), nullable=False),
    Column("level_before", String(8), nullable=False),
    Column("level_after", String(8), nullable=False),
    Column("points_before", Integer, nullable=False),
    Column("points", Integer, nullable=False),
    Column("rule_version", String(32), nullable=False),
)

repairs = Table(
    "repairs",
    metadata,
    Column("repair_id", String(36), primary_key=True),
    Column("subject_id", String(ID), nullable=False),
    Column("fact_id", String(ID), nullable=False),
    Column("status", String(16), nullable=False),
    Column("statement", Text, nullable=False),
    Column("filed_by", String(200), nullable=False),
    Column("filed_at", UtcDateTime, nullable=False),
    Column("decided_by", String(200), nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("effective_from", UtcDateTime, nullable=True),
    Column("rejection_reason", Text, nullable=True),
)
Index("ix_repairs_subject_id", repairs.c.subject_id, repairs.c.status)
Index("ix_repairs_fact_id", repairs.c.fact_id)

complaints = Table(
    "complaints",
    metadata,
    Column("complaint_id", String(36), primary_key=True),
    Column("subject_id", String(ID), nullable=False),
    Column("subject_kind", String(16), nullable=False),
    Column("description", Text, nullable=False),
    Column("contact", String(200), nullable=True),
    Column("client_key", String(64), nullable=False),  # sha256 of the client address, not the address
    Column("status", String(16), nullable=False),
    Column("filed_at", UtcDateTime, nullable=False),
    Column("triaged_at", UtcDateTime, nullable=True),
    Column("rejection_reason", Text, nullable=True),
    Column("concluded_at", UtcDateTime, nullable=True),
    Column("finding", Text, nullable=True),
    Column("fact_id", String(ID), nullable=True),
)
Index("ix_complaints_client_key", complaints.c.client_key, complaints.c.filed_at)
Index("ix_complaints_status", complaints.c.status, complaints.c.filed_at)

overdue_obligations = Table(
    "overdue_obligations",
    metadata,
    Column("overdue_event_id", String(ID), primary_key=True),
    Column("enterprise_id", String(ID), nullable=False),
    Column("year", Integer, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("fulfilled_at", UtcDateTime, nullable=True),
    Column("refusal_fact_id", String(ID), nullable=True),
)
Index("ix_overdue_obligations_enterprise_id", overdue_obligations.c.enterprise_id, overdue_obligations.c.year)

service_config = Table(
    "service_config",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)
