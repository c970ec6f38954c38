"""The platform's tables, present in every service database: outbox, inbox, idempotency keys.

They live in their own MetaData; each service's Alembic env targets [its metadata, this one].
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

from carbon_shared.db.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def make_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


platform_metadata = make_metadata()

outbox = Table(
    "outbox",
    platform_metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("topic", String(200), nullable=False),
    Column("message_key", String(200), nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime, nullable=True),
)
Index(
    "ix_outbox_unpublished",
    outbox.c.id,
    postgresql_where=outbox.c.published_at.is_(None),
    sqlite_where=outbox.c.published_at.is_(None),
)

processed_events = Table(
    "processed_events",
    platform_metadata,
    Column("consumer", String(100), primary_key=True),
    Column("event_id", Uuid, primary_key=True),
    Column("event_type", String(100), nullable=False),
    Column("handled_at", UtcDateTime, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    platform_metadata,
    Column("scope", String(64), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
