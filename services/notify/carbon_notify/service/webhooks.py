"""Use cases of webhooks: register, deactivate, reactivate or delete an endpoint; list subscriptions and
deliveries; redeliver a dead one."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row

from carbon_notify.db import notifications, webhooks
from carbon_notify.domain.errors import InvalidDeliveryTransition
from carbon_notify.domain.model import Channel, Recipient
from carbon_notify.domain.webhook_delivery import DeliveryState, WebhookDelivery, redeliver
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import Conflict, NotFound, Unprocessable
from carbon_shared.events import catalogue
from carbon_shared.pagination import decode_cursor, encode_cursor


@dataclass(frozen=True)
class RowPage:
    items: list[Row]
    next_cursor: str | None


async def register_webhook(
    uow: UnitOfWork, *, owner: Recipient, url: str, secret: str, event_types: Sequence[str]
) -> Row:
    known = {event_type for event_type, _ in catalogue()}
    unknown = sorted(set(event_types) - known)
    if unknown:
        errors = [{"loc": ["body", "event_types"], "msg": f"unknown event type {t}"} for t in unknown]
        raise Unprocessable(f"unknown event types: {', '.join(unknown)}", errors=errors)
    subscription_id = uuid.uuid4()
    await webhooks.create_subscription(
        uow.session,
        {
            "id": subscription_id,
            "owner_kind": owner.kind.value,
            "owner_id": owner.id,
            "url": url,
            "secret": secret,
            "event_types": sorted(set(event_types)),
            "active": 1,
            "created_at": dt.datetime.now(dt.UTC),
        },
    )
    row = await webhooks.get_subscription(uow.session, subscription_id)
    assert row is not None  # inserted just above, in this transaction
    return row


async def list_webhooks(
    uow: UnitOfWork, *, owner: Recipient | None, cursor: str | None, limit: int
) -> RowPage:
    values = decode_cursor(cursor)
    after = (str(values[0]), str(values[1])) if values and len(values) == 2 else None
    rows = await webhooks.subscriptions_page(uow.session, owner, after=after, limit=limit)
    items = list(rows[:limit])
    last = items[-1] if items else None
    more = len(rows) > limit and last is not None
    return RowPage(
        items, encode_cursor([last.created_at.isoformat(), str(last.id)]) if more and last else None
    )


async def list_deliveries(
    uow: UnitOfWork,
    *,
    owner: Recipient | None,
    subscription_id: uuid.UUID | None,
    state: str | None,
    cursor: str | None,
    limit: int,
) -> RowPage:
    values = decode_cursor(cursor)
    before_id = int(values[0]) if values else None
    rows = await webhooks.deliveries_page(
        uow.session, owner, subscription_id=subscription_id, state=state, before_id=before_id, limit=limit
    )
    items = list(rows[:limit])
    return RowPage(items, encode_cursor([items[-1].id]) if len(rows) > limit else None)


async def delivery_with_log(
    uow: UnitOfWork, *, owner: Recipient | None, delivery_id: int
) -> tuple[Row, list[Row]]:
    row = await _owned_delivery(uow, owner, delivery_id, for_update=False)
    attempts = await notifications.attempts_of(uow.session, channel=Channel.WEBHOOK, target_id=delivery_id)
    return row, list(attempts)


async def redeliver_webhook(uow: UnitOfWork, *, owner: Recipient | None, delivery_id: int) -> Row:
    """A dead delivery starts a fresh series of attempts (after the receiver was fixed); 409 otherwise."""
    row = await _owned_delivery(uow, owner, delivery_id, for_update=True)
    if row.deleted_at is not None:
        raise Conflict(
            f"webhook delivery {delivery_id}: its subscription was deleted", code="webhook_deleted"
        )
    current = WebhookDelivery(
        state=DeliveryState(row.state),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        redeliveries=row.redeliveries,
    )
    try:
        after = redeliver(current, now=dt.datetime.now(dt.UTC))
    except InvalidDeliveryTransition as exc:
        raise Conflict(exc.message, code=exc.code) from exc
    await webhooks.save_state(uow.session, delivery_id, after)
    return await _owned_delivery(uow, owner, delivery_id, for_update=False)


async def set_webhook_active(
    uow: UnitOfWork, *, owner: Recipient | None, subscription_id: uuid.UUID, active: bool
) -> Row:
    """Deactivated: no new event reaches it and its pending deliveries wait; reactivated: they resume.
    Idempotent."""
    await _owned_subscription(uow, owner, subscription_id)
    await webhooks.set_active(uow.session, subscription_id, active=active)
    return await _owned_subscription(uow, owner, subscription_id)


async def delete_webhook(uow: UnitOfWork, *, owner: Recipient | None, subscription_id: uuid.UUID) -> None:
    """Gone from listings and routing; its delivery log stays, unfinished deliveries end as dead."""
    await _owned_subscription(uow, owner, subscription_id)
    await webhooks.mark_deleted(uow.session, subscription_id, at=dt.datetime.now(dt.UTC))


async def _owned_subscription(uow: UnitOfWork, owner: Recipient | None, subscription_id: uuid.UUID) -> Row:
    row = await webhooks.get_subscription(uow.session, subscription_id, for_update=True)
    if row is None or (owner is not None and (row.owner_kind, row.owner_id) != (owner.kind.value, owner.id)):
        raise NotFound(f"no webhook {subscription_id}")
    return row


async def _owned_delivery(
    uow: UnitOfWork, owner: Recipient | None, delivery_id: int, *, for_update: bool
) -> Row:
    row = await webhooks.get_delivery(uow.session, delivery_id, for_update=for_update)
    if row is None or (owner is not None and (row.owner_kind, row.owner_id) != (owner.kind.value, owner.id)):
        raise NotFound(f"no webhook delivery {delivery_id}")
    return row
