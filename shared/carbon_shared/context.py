"""Request and message context that follows one compliance action across services."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

correlation_id_var: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def current_correlation_id() -> str:
    """The correlation id of the work in progress, or a fresh one for work that starts here."""
    value = correlation_id_var.get()
    if value is None:
        value = str(uuid.uuid4())
        correlation_id_var.set(value)
    return value
