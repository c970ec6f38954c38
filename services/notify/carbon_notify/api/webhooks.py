"""Webhooks: a department or the region registers endpoints; owners (and ops) see, pause, resume,
delete and redeliver."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from carbon_notify.api.schemas import DeliveryOut, WebhookIn, WebhookOut
from carbon_notify.domain.model import Recipient
from carbon_notify.domain.subscriptions import webhook_owner
from carbon_notify.service import webhooks
from carbon_shared.app import UoW
from carbon_shared.auth import Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["webhooks"])
Owner = Annotated[Principal, require_roles("department", "region")]
OwnerOrOps = Annotated[Principal, require_roles("department", "region", "ops")]
State = Literal["pending", "retrying", "delivered", "dead"]


def _owner(who: Principal) -> Recipient | None:
    """The caller's own endpoints; operations see every owner's (None)."""
    return None if who.role == "ops" else webhook_owner(role=who.role, department=who.department)


@router.post("/v1/webhooks", status_code=201, response_model=WebhookOut, summary="Register a webhook")
async def register(body: WebhookIn, uow: UoW, who: Owner) -> WebhookOut:
    owner = webhook_owner(role=who.role, department=who.department)
    assert owner is not None  # the role guard admits only departments and the region
    async with uow:
        row = await webhooks.register_webhook(
            uow, owner=owner, url=str(body.url), secret=body.secret, event_types=body.event_types
        )
        await uow.commit()
    return WebhookOut.of(row)


@router.post(
    "/v1/webhooks/{subscription_id}/deactivate", response_model=WebhookOut, summary="Pause a webhook"
)
async def deactivate(subscription_id: uuid.UUID, uow: UoW, who: OwnerOrOps) -> WebhookOut:
    return await _set_active(uow, who, subscription_id, active=False)


@router.post(
    "/v1/webhooks/{subscription_id}/activate", response_model=WebhookOut, summary="Resume a paused webhook"
)
async def activate(subscription_id: uuid.UUID, uow: UoW, who: OwnerOrOps) -> WebhookOut:
    return await _set_active(uow, who, subscription_id, active=True)


async def _set_active(uow: UoW, who: Principal, subscription_id: uuid.UUID, *, active: bool) -> WebhookOut:
    async with uow:
        row = await webhooks.set_webhook_active(
            uow, owner=_owner(who), subscription_id=subscription_id, active=active
        )
        await uow.commit()
    return WebhookOut.of(row)


@router.delete("/v1/webhooks/{subscription_id}", status_code=204, summary="Delete a webhook")
async def delete(subscription_id: uuid.UUID, uow: UoW, who: OwnerOrOps) -> Response:
    async with uow:
        await webhooks.delete_webhook(uow, owner=_owner(who), subscription_id=subscription_id)
        await uow.commit()
    return Response(status_code=204)


@router.get("/v1/webhooks", response_model=Page[WebhookOut], summary="Registered webhooks")
async def list_webhooks(
    uow: UoW, who: OwnerOrOps, limit: Limit = 50, cursor: Cursor = None
) -> Page[WebhookOut]:
    async with uow:
        page = await webhooks.list_webhooks(uow, owner=_owner(who), cursor=cursor, limit=limit)
    return Page[WebhookOut](items=[WebhookOut.of(r) for r in page.items], next_cursor=page.next_cursor)


@router.get("/v1/webhooks/deliveries", response_model=Page[DeliveryOut], summary="The delivery log")
async def list_deliveries(
    uow: UoW,
    who: OwnerOrOps,
    subscription_id: Annotated[uuid.UUID | None, Query()] = None,
    state: Annotated[State | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DeliveryOut]:
    async with uow:
        page = await webhooks.list_deliveries(
            uow, owner=_owner(who), subscription_id=subscription_id, state=state, cursor=cursor, limit=limit
        )
    return Page[DeliveryOut](items=[DeliveryOut.of(r) for r in page.items], next_cursor=page.next_cursor)


@router.get("/v1/webhooks/deliveries/{delivery_id}", response_model=DeliveryOut, summary="One delivery")
async def get_delivery(delivery_id: int, uow: UoW, who: OwnerOrOps) -> DeliveryOut:
    async with uow:
        row, log = await webhooks.delivery_with_log(uow, owner=_owner(who), delivery_id=delivery_id)
    return DeliveryOut.of(row, log)


@router.post(
    "/v1/webhooks/deliveries/{delivery_id}/redeliver",
    response_model=DeliveryOut,
    summary="Send a dead delivery again (a fresh series of attempts)",
)
async def redeliver(delivery_id: int, uow: UoW, who: OwnerOrOps) -> DeliveryOut:
    async with uow:
        row = await webhooks.redeliver_webhook(uow, owner=_owner(who), delivery_id=delivery_id)
        await uow.commit()
    return DeliveryOut.of(row)
