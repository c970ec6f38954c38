"""Routing one event: its recipients, the channels and addresses each gets, the rendered message and
the notification rows, from what the batch loaded (service/batch.py). No database access here: the
batch reads every read model once and writes every row of the batch in a few multi-row statements.

Exactly one notification per (event, recipient, channel): the rows are inserted with ON CONFLICT DO
NOTHING on that unique key, so a redelivery, a restart mid-batch or a re-route adds only what is
missing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from carbon_notify.domain.channels import PlannedDelivery, RegisteredEndpoints, plan_deliveries
from carbon_notify.domain.errors import TemplateNotFound
from carbon_notify.domain.model import (
    REGION_ID,
    Channel,
    EnterpriseView,
    EventFacts,
    NotificationKey,
    Recipient,
    RecipientKind,
)
from carbon_notify.domain.routing import resolve_recipients
from carbon_notify.domain.subscriptions import wants
from carbon_notify.domain.templates import RenderedMessage, render_message
from carbon_notify.domain.webhook_delivery import DeliveryState
from carbon_notify.reference import ReferenceBundle
from carbon_shared.events import Envelope

log = logging.getLogger(__name__)
REGION = Recipient(RecipientKind.REGION, REGION_ID)
FANNED_OUT = "fanned_out"  # a webhook notification's state: its deliveries carry the real one


@dataclass(frozen=True)
class Subscription:
    id: str
    owner: Recipient
    event_types: tuple[str, ...]


@dataclass(frozen=True)
class Endpoints:
    """What recipients registered beyond the inbox, as loaded for a batch."""

    subscriptions: Sequence[Subscription]
    sms_numbers: Mapping[Recipient, tuple[str, ...]]

    def for_event(
        self, owners: Collection[Recipient], event_type: str
    ) -> dict[Recipient, RegisteredEndpoints]:
        hooks: dict[Recipient, list[str]] = {}
        for sub in self.subscriptions:
            if sub.owner in owners and wants(sub.event_types, event_type):
                hooks.setdefault(sub.owner, []).append(sub.id)
        return {
            owner: RegisteredEndpoints(tuple(hooks.get(owner, ())), self.sms_numbers.get(owner, ()))
            for owner in owners
            if owner in hooks or owner in self.sms_numbers
        }


@dataclass(frozen=True)
class RoutedEvent:
    envelope: Envelope
    message: RenderedMessage
    deliveries: tuple[PlannedDelivery, ...]

    def rows(self, now: dt.datetime) -> list[dict[str, Any]]:
        return [_row(self.envelope, delivery, self.message, now) for delivery in self.deliveries]


def subject_enterprise(payload: Mapping[str, Any]) -> str | None:
    if payload.get("enterprise_id"):
        return str(payload["enterprise_id"])
    if payload.get("subject_kind") == "enterprise" and payload.get("subject_id"):
        return str(payload["subject_id"])
    return None


def unnamed_agency(payload: Mapping[str, Any]) -> str | None:
    """The agency an event is about when the event does not carry its name (the read model has it)."""
    if payload.get("subject_kind") == "agency" and not payload.get("subject_name"):
        return str(payload.get("subject_id"))
    return None


def route_event(
    envelope: Envelope,
    *,
    enterprise: EnterpriseView | None,
    agency_names: Mapping[str, str],
    endpoints: Endpoints,
    bundle: ReferenceBundle,
) -> RoutedEvent | None:
    """The notifications of one event (None when it reaches nobody)."""
    facts = _facts(envelope, agency_names)
    resolution = resolve_recipients(
        event=facts, enterprise=enterprise, routes=bundle.routes, departments=bundle.departments
    )
    registered = endpoints.for_event({*resolution.recipient_set, REGION}, envelope.type)
    plan = plan_deliveries(
        event_id=str(envelope.event_id), resolution=resolution, enterprise=enterprise, endpoints=registered
    )
    for skipped in plan.skipped:
        log.debug(
            "%s: %s skipped for %s: %s", envelope.event_id, skipped.channel, skipped.recipient, skipped.reason
        )
    deliveries = (*plan.deliveries, *_region_feed(envelope, registered))
    if not deliveries:
        return None
    return RoutedEvent(envelope, _render(facts, enterprise, bundle), deliveries)


def _facts(envelope: Envelope, agency_names: Mapping[str, str]) -> EventFacts:
    payload = dict(envelope.payload)
    agency_id = unnamed_agency(payload)
    if agency_id is not None:
        payload["subject_name"] = agency_names.get(agency_id)
    return EventFacts(
        event_id=str(envelope.event_id),
        event_type=envelope.type,
        subject=envelope.subject,
        occurred_at=envelope.occurred_at,
        payload=payload,
    )


def _region_feed(
    envelope: Envelope, registered: Mapping[Recipient, RegisteredEndpoints]
) -> list[PlannedDelivery]:
    """The region's feed: no route names it, its subscriptions choose the event types."""
    region = registered.get(REGION)
    if region is None or not region.webhook_subscriptions:
        return []
    key = NotificationKey(event_id=str(envelope.event_id), recipient=REGION, channel=Channel.WEBHOOK)
    return [PlannedDelivery(key=key, addresses=tuple(sorted(region.webhook_subscriptions)))]


def _render(facts: EventFacts, enterprise: EnterpriseView | None, bundle: ReferenceBundle) -> RenderedMessage:
    try:
        message = render_message(event=facts, enterprise=enterprise, templates=bundle.templates)
    except TemplateNotFound:
        # Only the region's feed reaches untemplated types (routes are checked against templates).
        return RenderedMessage(
            facts.event_type, facts.event_type, facts.event_type, facts.subject, facts.subject
        )
    if not message.complete:
        log.warning(
            "%s %s rendered with placeholders: missing %s, malformed %s",
            facts.event_type,
            facts.event_id,
            message.missing_fields,
            message.malformed_fields,
        )
    return message


def _row(
    envelope: Envelope, delivery: PlannedDelivery, message: RenderedMessage, now: dt.datetime
) -> dict[str, Any]:
    channel = delivery.key.channel
    sent_by_worker = channel in (Channel.EMAIL, Channel.SMS)
    state = {Channel.INBOX: DeliveryState.DELIVERED.value, Channel.WEBHOOK: FANNED_OUT}.get(
        channel, DeliveryState.PENDING.value
    )
    return {
        "event_id": envelope.event_id,
        "recipient_kind": delivery.key.recipient.kind.value,
        "recipient_id": delivery.key.recipient.id,
        "channel": channel.value,
        "event_type": envelope.type,
        "subject": envelope.subject,
        "title": message.title,
        "body": message.body,
        "sms_text": message.sms_text,
        "addresses": list(delivery.addresses),
        "created_at": now,
        "read_at": None,
        "state": state,
        "attempts": 0,
        "next_attempt_at": now if sent_by_worker else None,
        "last_error": None,
        "delivered_to": [],
    }


def webhook_delivery_rows(
    notification_id: int, routed: RoutedEvent, recipient: Recipient, now: dt.datetime
) -> list[dict[str, Any]]:
    """One delivery per subscription of `recipient` that takes this event."""
    delivery = next(
        d for d in routed.deliveries if d.key.recipient == recipient and d.key.channel is Channel.WEBHOOK
    )
    body = {
        "event": routed.envelope.model_dump(mode="json"),
        "recipient": str(recipient),
        "title": routed.message.title,
        "body": routed.message.body,
    }
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return [
        {
            "notification_id": notification_id,
            "subscription_id": uuid.UUID(subscription_id),
            "event_id": routed.envelope.event_id,
            "event_type": routed.envelope.type,
            "body": text,
            "state": DeliveryState.PENDING.value,
            "attempts": 0,
            "redeliveries": 0,
            "next_attempt_at": now,
            "last_error": None,
            "created_at": now,
        }
        for subscription_id in delivery.addresses
    ]
