"""Use cases of the consumer: log every event, keep the read models, route notifications.

These run inside the consumer's transaction (the runtime opened the unit of work and commits it), so
they never commit. Routing writes every notification of an event in that same transaction, guarded by
the (event, recipient, channel) unique key: a redelivery, a restart mid-batch or a re-route after the
enterprise arrived adds only what is missing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from carbon_notify.db import event_log, notifications, read_models, webhooks
from carbon_notify.domain.channels import DeliveryPlan, PlannedDelivery, RegisteredEndpoints, plan_deliveries
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
from carbon_notify.reference import ReferenceBundle, load_reference
from carbon_shared.db import UnitOfWork
from carbon_shared.events import Envelope

log = logging.getLogger(__name__)
REGION = Recipient(RecipientKind.REGION, REGION_ID)
FANNED_OUT = "fanned_out"  # a webhook notification's state: its deliveries carry the real one


async def log_and_route(uow: UnitOfWork, *, envelope: Envelope) -> int:
    """Store the event for the live stream and create its notifications; returns how many are new."""
    await event_log.append(uow.session, envelope)
    return await route(uow.session, envelope=envelope)


async def route(session: AsyncSession, *, envelope: Envelope, unparking: bool = False) -> int:
    """Create the notifications of one event; an event about an enterprise not yet in the read model
    is parked instead (`unparking` routes it with whatever is known)."""
    bundle = load_reference()
    enterprise_id = _subject_enterprise(envelope.payload)
    enterprise = await read_models.enterprise_view(session, enterprise_id) if enterprise_id else None
    facts = await _facts(session, envelope)
    resolution = resolve_recipients(
        event=facts, enterprise=enterprise, routes=bundle.routes, departments=bundle.departments
    )
    if enterprise_id and enterprise is None and not unparking and bundle.routes.rules_for(envelope.type):
        # Name, county and contacts are unknown until the registry's event arrives (it travels on
        # another topic, so it may come later): wait for it rather than send half a message.
        await event_log.park(session, event_id=envelope.event_id, enterprise_id=enterprise_id)
        return 0
    subscriptions = await _subscriptions(session, [*resolution.recipient_set, REGION], envelope.type)
    plan = plan_deliveries(
        event_id=str(envelope.event_id), resolution=resolution, enterprise=enterprise, endpoints=subscriptions
    )
    deliveries = [*plan.deliveries, *_region_feed(envelope, subscriptions)]
    if not deliveries:
        return 0
    message = _render(facts, enterprise, bundle)
    return await _store(session, envelope, deliveries, message, plan)


async def route_parked(session: AsyncSession, *, enterprise_id: str) -> int:
    """Route the events that arrived before `enterprise_id` reached the read model."""
    return await _unpark(session, await event_log.take_parked(session, enterprise_id=enterprise_id))


async def release_stale_parked(session: AsyncSession, *, older_than: dt.timedelta) -> int:
    """Route events whose enterprise never arrived, with what is known (placeholders for the name):
    a department must not miss a joint-enforcement alert because the registry lags."""
    cutoff = dt.datetime.now(dt.UTC) - older_than
    return await _unpark(session, await event_log.take_parked(session, parked_before=cutoff))


async def _unpark(session: AsyncSession, bodies: list[str]) -> int:
    created = 0
    for body in bodies:
        created += await route(session, envelope=Envelope.model_validate_json(body), unparking=True)
    return created


def _subject_enterprise(payload: Mapping[str, Any]) -> str | None:
    if payload.get("enterprise_id"):
        return str(payload["enterprise_id"])
    if payload.get("subject_kind") == "enterprise" and payload.get("subject_id"):
        return str(payload["subject_id"])
    return None


async def _facts(session: AsyncSession, envelope: Envelope) -> EventFacts:
    payload = dict(envelope.payload)
    if payload.get("subject_kind") == "agency" and not payload.get("subject_name"):
        payload["subject_name"] = await read_models.agency_name(session, str(payload.get("subject_id")))
    return EventFacts(
        event_id=str(envelope.event_id),
        event_type=envelope.type,
        subject=envelope.subject,
        occurred_at=envelope.occurred_at,
        payload=payload,
    )


async def _subscriptions(
    session: AsyncSession, owners: list[Recipient], event_type: str
) -> dict[Recipient, RegisteredEndpoints]:
    wanted: dict[Recipient, list[str]] = {}
    for row in await webhooks.active_of(session, owners):
        if wants(row.event_types, event_type):
            owner = Recipient(RecipientKind(row.owner_kind), row.owner_id)
            wanted.setdefault(owner, []).append(str(row.id))
    return {owner: RegisteredEndpoints(webhook_subscriptions=tuple(ids)) for owner, ids in wanted.items()}


def _region_feed(
    envelope: Envelope, subscriptions: Mapping[Recipient, RegisteredEndpoints]
) -> list[PlannedDelivery]:
    """The region's feed: no route names it, its subscriptions choose the event types."""
    registered = subscriptions.get(REGION)
    if registered is None:
        return []
    key = NotificationKey(event_id=str(envelope.event_id), recipient=REGION, channel=Channel.WEBHOOK)
    return [PlannedDelivery(key=key, addresses=tuple(sorted(registered.webhook_subscriptions)))]


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


async def _store(
    session: AsyncSession,
    envelope: Envelope,
    deliveries: list[PlannedDelivery],
    message: RenderedMessage,
    plan: DeliveryPlan,
) -> int:
    now = dt.datetime.now(dt.UTC)
    rows = [_row(envelope, delivery, message, now) for delivery in deliveries]
    created = await notifications.insert_new(session, rows)
    addresses = {(d.key.recipient.kind.value, d.key.recipient.id): d.addresses for d in deliveries}
    fan_out = [
        _delivery_row(
            row.id, subscription_id, envelope, message, f"{row.recipient_kind}:{row.recipient_id}", now
        )
        for row in created
        if row.channel == Channel.WEBHOOK.value
        for subscription_id in addresses[(row.recipient_kind, row.recipient_id)]
    ]
    await webhooks.insert_deliveries(session, fan_out)
    for skipped in plan.skipped:
        log.debug(
            "%s: %s skipped for %s: %s", envelope.event_id, skipped.channel, skipped.recipient, skipped.reason
        )
    return len(created)


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
    }


def _delivery_row(
    notification_id: int,
    subscription_id: str,
    envelope: Envelope,
    message: RenderedMessage,
    recipient: str,
    now: dt.datetime,
) -> dict[str, Any]:
    body = {
        "event": envelope.model_dump(mode="json"),
        "recipient": recipient,
        "title": message.title,
        "body": message.body,
    }
    return {
        "notification_id": notification_id,
        "subscription_id": uuid.UUID(subscription_id),
        "event_id": envelope.event_id,
        "event_type": envelope.type,
        "body": json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        "state": DeliveryState.PENDING.value,
        "attempts": 0,
        "redeliveries": 0,
        "next_attempt_at": now,
        "last_error": None,
        "created_at": now,
    }
