"""Request and response bodies of the notify API (CONTRACT.md field names, extras allowed)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import AnyHttpUrl, BaseModel, Field

from carbon_shared.pagination import Page


class InboxItem(BaseModel):
    id: int
    event_type: str
    event_id: uuid.UUID
    subject: str
    title: str
    body: str
    created_at: dt.datetime
    read: bool
    read_at: dt.datetime | None = None

    @classmethod
    def of(cls, row: Any) -> InboxItem:
        return cls(
            id=row.id,
            event_type=row.event_type,
            event_id=row.event_id,
            subject=row.subject,
            title=row.title,
            body=row.body,
            created_at=row.created_at,
            read=row.read_at is not None,
            read_at=row.read_at,
        )


class InboxPage(Page[InboxItem]):
    unread: int = Field(description="unread notifications in this inbox (all pages)")


class WebhookIn(BaseModel):
    url: AnyHttpUrl
    secret: str = Field(min_length=16, max_length=200, description="HMAC-SHA256 key, at least 16 characters")
    event_types: list[str] = Field(default_factory=list, description="event types wanted; empty: every type")


class WebhookOut(BaseModel):
    id: uuid.UUID
    owner: str
    url: str
    event_types: list[str]
    active: bool
    created_at: dt.datetime

    @classmethod
    def of(cls, row: Any) -> WebhookOut:
        return cls(
            id=row.id,
            owner=f"{row.owner_kind}:{row.owner_id}",
            url=row.url,
            event_types=list(row.event_types),
            active=bool(row.active),
            created_at=row.created_at,
        )


class AttemptOut(BaseModel):
    number: int
    at: dt.datetime
    status_code: int | None
    error: str | None
    state_after: str


class DeliveryOut(BaseModel):
    id: int
    subscription_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    url: str
    state: str
    attempts: int
    redeliveries: int
    next_attempt_at: dt.datetime | None
    last_error: str | None
    created_at: dt.datetime
    log: list[AttemptOut] | None = Field(None, description="every attempt (single-delivery view only)")

    @classmethod
    def of(cls, row: Any, log: list[Any] | None = None) -> DeliveryOut:
        return cls(
            id=row.id,
            subscription_id=row.subscription_id,
            event_id=row.event_id,
            event_type=row.event_type,
            url=row.url,
            state=row.state,
            attempts=row.attempts,
            redeliveries=row.redeliveries,
            next_attempt_at=row.next_attempt_at,
            last_error=row.last_error,
            created_at=row.created_at,
            log=None if log is None else [AttemptOut.model_validate(a, from_attributes=True) for a in log],
        )


class SmsNumberIn(BaseModel):
    phone: str = Field(min_length=1, max_length=40, description="mainland mobile; +86 and separators allowed")
    label: str = Field("", max_length=200, description="whose phone, e.g. 值班室 (duty office)")


class SmsNumberOut(BaseModel):
    id: uuid.UUID
    owner: str
    phone: str = Field(description="normalised: 11 digits")
    label: str
    created_at: dt.datetime

    @classmethod
    def of(cls, row: Any) -> SmsNumberOut:
        return cls(
            id=row.id,
            owner=f"{row.owner_kind}:{row.owner_id}",
            phone=row.phone,
            label=row.label,
            created_at=row.created_at,
        )
