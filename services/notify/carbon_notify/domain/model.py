"""Value types shared by every notify rule: recipients, channels, the event facts and the enterprise view.

All are frozen dataclasses so a use case can hand them around, compare them and use them as keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class RecipientKind(StrEnum):
    ENTERPRISE = "enterprise"
    DEPARTMENT = "department"
    AGENCY = "agency"
    REGION = "region"  # the regional ecology department: webhook feeds and its own inbox


REGION_ID = "region"  # there is one region; its recipient id is fixed


class Channel(StrEnum):
    INBOX = "inbox"
    EMAIL = "email"
    WEBHOOK = "webhook"
    SMS = "sms"


@dataclass(frozen=True, order=True)
class Recipient:
    """Who is told: an enterprise (by id), a department (by code, counties by admin code) or an agency."""

    kind: RecipientKind
    id: str

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"


@dataclass(frozen=True)
class ContactView:
    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class EnterpriseView:
    """The notify read model of an enterprise, built from registry events (name, county, contacts)."""

    enterprise_id: str
    name: str
    county_code: str
    contacts: tuple[ContactView, ...] = ()


@dataclass(frozen=True)
class EventFacts:
    """What the domain needs from an event envelope: identity, type, subject, time and the JSON payload."""

    event_id: str
    event_type: str
    subject: str
    occurred_at: dt.datetime
    payload: Mapping[str, Any] = field(default_factory=dict)


# Bump when the canonical form below changes: old keys must never collide with new ones.
_KEY_SCHEME = "notify-key/v1"


@dataclass(frozen=True, order=True)
class NotificationKey:
    """The identity of one notification: exactly one per (event, recipient, channel), however often the
    event is delivered. `digest` is the fixed-width form a unique database column stores."""

    event_id: str
    recipient: Recipient
    channel: Channel

    @property
    def canonical(self) -> str:
        return f"{_KEY_SCHEME}|{self.event_id}|{self.recipient}|{self.channel.value}"

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.canonical.encode("utf-8")).hexdigest()
