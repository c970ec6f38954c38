"""Events produced by the credit service."""

from __future__ import annotations

from typing import Literal

from carbon_shared.events.base import DomainEvent, register

PRODUCER = "credit"

Level = Literal["green", "blue", "yellow", "red"]


@register
class CreditRatingChanged(DomainEvent):
    """The credit level of an enterprise or agency changed; `cause_event_id` is the fact behind it."""

    producer = PRODUCER
    subject_field = "subject_id"
    subject_id: str
    subject_kind: Literal["enterprise", "agency"]
    subject_name: str | None = None
    level_before: Level
    level_after: Level
    points: int
    cause: str
    cause_event_id: str
    rule_version: str
