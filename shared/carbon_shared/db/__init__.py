"""Database mechanisms: engine, unit of work, portable column types, the platform's own tables."""

from carbon_shared.db.engine import make_engine, make_session_factory
from carbon_shared.db.tables import (
    NAMING_CONVENTION,
    idempotency_keys,
    make_metadata,
    outbox,
    platform_metadata,
    processed_events,
)
from carbon_shared.db.types import ExactDecimal, UtcDateTime
from carbon_shared.db.uow import UnitOfWork

__all__ = [
    "NAMING_CONVENTION",
    "ExactDecimal",
    "UnitOfWork",
    "UtcDateTime",
    "idempotency_keys",
    "make_engine",
    "make_metadata",
    "make_session_factory",
    "outbox",
    "platform_metadata",
    "processed_events",
]
