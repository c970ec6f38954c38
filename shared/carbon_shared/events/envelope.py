"""The envelope every event travels in, and the codec that refuses what it cannot trust."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from carbon_shared.events.base import DomainEvent, lookup


class InvalidEvent(ValueError):
    """A message that is not a valid event of the catalogue; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: uuid.UUID
    type: str
    version: int
    occurred_at: AwareDatetime
    producer: str
    subject: str
    correlation_id: str
    payload: dict[str, Any]

    def event(self) -> DomainEvent:
        """The payload validated against its catalogue class."""
        cls = lookup(self.type, self.version)
        if cls is None:
            raise InvalidEvent(f"unknown event type {self.type} v{self.version}")
        try:
            return cls.model_validate(self.payload)
        except ValidationError as exc:
            raise InvalidEvent(f"malformed {self.type} v{self.version} payload: {_short(exc)}") from exc


def new_envelope(
    event: DomainEvent,
    *,
    correlation_id: str,
    event_id: uuid.UUID | None = None,
    occurred_at: dt.datetime | None = None,
) -> Envelope:
    return Envelope(
        event_id=event_id or uuid.uuid4(),
        type=event.event_type,
        version=event.event_version,
        occurred_at=occurred_at or dt.datetime.now(dt.UTC),
        producer=event.producer,
        subject=event.subject(),
        correlation_id=correlation_id,
        payload=event.model_dump(mode="json"),
    )


def encode(envelope: Envelope) -> bytes:
    return envelope.model_dump_json().encode("utf-8")


def decode(raw: bytes | str) -> tuple[Envelope, DomainEvent]:
    """Parse and validate a message; raises InvalidEvent with the reason when it is not one of ours."""
    try:
        envelope = Envelope.model_validate_json(raw)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise InvalidEvent(f"not JSON: {exc.errors()[0]['msg']}") from exc
        raise InvalidEvent(f"bad envelope: {_short(exc)}") from exc
    event = envelope.event()
    if envelope.producer != event.producer:
        raise InvalidEvent(f"{envelope.type} is produced by {event.producer}, not {envelope.producer}")
    if envelope.subject != event.subject():
        raise InvalidEvent(f"envelope subject {envelope.subject} does not match payload {event.subject()}")
    return envelope, event


def _short(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
