"""The base of every domain event and the registry that names them.

An event is a past-tense fact one service states and others react to. Each class below is one
(type, version) of the contract between services; a breaking change is a new class with a higher
`event_version`, never an edit of an old one (golden fixtures in tests pin every version).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, PlainSerializer

# Emissions travel as exact decimal strings: a float would silently round tonnes of CO2.
ExactDecimal = Annotated[Decimal, PlainSerializer(lambda d: str(d), return_type=str, when_used="json")]


class DomainEvent(BaseModel):
    """A typed event payload. Subclasses declare who produces it and which field is its subject."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    event_version: ClassVar[int] = 1
    producer: ClassVar[str]
    subject_field: ClassVar[str] = "enterprise_id"

    def subject(self) -> str:
        """The key that orders this event: every event of one subject stays in order."""
        return str(getattr(self, self.subject_field))


_CATALOGUE: dict[tuple[str, int], type[DomainEvent]] = {}


def register(cls: type[DomainEvent]) -> type[DomainEvent]:
    """Class decorator: add an event class to the catalogue under its (type, version)."""
    key = (cls.__name__, cls.event_version)
    if key in _CATALOGUE:
        raise ValueError(f"event {key} registered twice")
    cls.event_type = cls.__name__
    _CATALOGUE[key] = cls
    return cls


def catalogue() -> dict[tuple[str, int], type[DomainEvent]]:
    """Every known event class by (type, version)."""
    return dict(_CATALOGUE)


def lookup(event_type: str, version: int) -> type[DomainEvent] | None:
    return _CATALOGUE.get((event_type, version))


def payload_schema(cls: type[DomainEvent]) -> dict[str, Any]:
    """JSON Schema of the payload as it travels (serialization mode)."""
    return cls.model_json_schema(mode="serialization")
