"""Delivery workers: send due email, SMS and webhook deliveries and record every attempt.

Each round claims due rows with FOR UPDATE SKIP LOCKED (PostgreSQL), sends them concurrently while
holding the claim, records the outcome through the domain's state machine (retry with exponential
backoff, dead after the last try) and the delivery log, and commits once. Several replicas can run
the same worker: a claimed row is invisible to the others until the round commits.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from decimal import Decimal

import httpx
from sqlalchemy import Row

from carbon_notify.db import notifications, webhooks
from carbon_notify.domain.model import Channel
from carbon_notify.domain.sms import SmsPolicy, combined_outcome, phones_to_try
from carbon_notify.domain.webhook_delivery import (
    AttemptOutcome,
    AttemptRecord,
    DeliveryState,
    WebhookDelivery,
    WebhookPolicy,
    record_attempt,
)
from carbon_notify.reference import load_reference
from carbon_notify.service.senders import build_email, post_webhook, send_email, send_sms
from carbon_notify.settings import NotifySettings
from carbon_shared.db import UnitOfWork

Save = Callable[[Row, WebhookDelivery, AttemptRecord], Awaitable[None]]


def retry_policy(settings: NotifySettings) -> WebhookPolicy:
    """The delivery policy of the reference data, with the operator's overrides applied."""
    policy = load_reference().delivery.webhook
    if settings.retry_base_delay_seconds is not None:
        base = settings.retry_base_delay_seconds
        policy = replace(
            policy, base_delay_seconds=base, max_delay_seconds=max(base, policy.max_delay_seconds)
        )
    if settings.retry_max_attempts is not None:
        policy = replace(policy, max_attempts=settings.retry_max_attempts)
    return policy


def sms_policy() -> SmsPolicy:
    return load_reference().delivery.sms


async def deliver_due_webhooks(
    uow: UnitOfWork, *, client: httpx.AsyncClient, policy: WebhookPolicy, limit: int
) -> int:
    rows = await webhooks.claim_due(uow.session, now=dt.datetime.now(dt.UTC), limit=limit)
    outcomes = await asyncio.gather(
        *(
            post_webhook(
                client,
                url=r.url,
                secret=r.secret,
                body=r.body.encode(),
                delivery_id=r.id,
                event_type=r.event_type,
            )
            for r in rows
        )
    )

    async def save(row: Row, after: WebhookDelivery, record: AttemptRecord) -> None:
        await webhooks.save_state(uow.session, row.id, after)
        await notifications.log_attempt(uow.session, channel=Channel.WEBHOOK, target_id=row.id, record=record)

    await _record(rows, outcomes, policy, save)
    return len(rows)


async def deliver_due_email(
    uow: UnitOfWork, *, settings: NotifySettings, policy: WebhookPolicy, limit: int
) -> int:
    rows = await notifications.claim_due(uow.session, Channel.EMAIL, now=dt.datetime.now(dt.UTC), limit=limit)
    timeout = float(policy.request_timeout_seconds)
    outcomes = await asyncio.gather(
        *(
            send_email(
                settings,
                build_email(sender=settings.smtp_from, to=r.addresses, subject=r.title, body=r.body),
                smtp_timeout=timeout,
            )
            for r in rows
        )
    )
    await _record(rows, outcomes, policy, _notification_saver(uow, Channel.EMAIL))
    return len(rows)


async def deliver_due_sms(
    uow: UnitOfWork, *, client: httpx.AsyncClient, gateway_url: str, policy: WebhookPolicy, limit: int
) -> int:
    """Text each due SMS notification to its phones that have not accepted it yet: a retry after a
    partial failure does not text a phone twice."""
    rows = await notifications.claim_due(uow.session, Channel.SMS, now=dt.datetime.now(dt.UTC), limit=limit)
    shape = sms_policy()
    per_phone = await asyncio.gather(
        *(
            send_sms(
                client,
                url=gateway_url,
                phones=phones_to_try(r.addresses, r.delivered_to),
                text=r.sms_text,
                policy=shape,
            )
            for r in rows
        )
    )
    accepted = {
        r.id: [*(r.delivered_to or ()), *(phone for phone, o in results.items() if o.succeeded)]
        for r, results in zip(rows, per_phone, strict=True)
    }
    outcomes = [combined_outcome(results, policy) for results in per_phone]
    save = _notification_saver(uow, Channel.SMS)

    async def save_with_phones(row: Row, after: WebhookDelivery, record: AttemptRecord) -> None:
        await notifications.save_delivered_to(uow.session, row.id, accepted[row.id])
        await save(row, after, record)

    await _record(rows, outcomes, policy, save_with_phones)
    return len(rows)


def _notification_saver(uow: UnitOfWork, channel: Channel) -> Save:
    async def save(row: Row, after: WebhookDelivery, record: AttemptRecord) -> None:
        await notifications.save_state(uow.session, row.id, after)
        await notifications.log_attempt(uow.session, channel=channel, target_id=row.id, record=record)

    return save


async def _record(
    rows: Sequence[Row], outcomes: Sequence[AttemptOutcome], policy: WebhookPolicy, save: Save
) -> None:
    at = dt.datetime.now(dt.UTC)
    for row, outcome in zip(rows, outcomes, strict=True):
        current = WebhookDelivery(
            state=DeliveryState(row.state),
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
            last_error=row.last_error,
            redeliveries=getattr(row, "redeliveries", 0),
        )
        jitter = Decimal(random.random())  # spreading retries, not a secret
        after, record = record_attempt(current, outcome=outcome, at=at, policy=policy, jitter=jitter)
        await save(row, after, record)
