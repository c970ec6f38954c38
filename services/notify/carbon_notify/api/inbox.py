"""The inbox: GET /v1/inbox and POST /v1/inbox/{id}/read, for the caller's own notifications."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from carbon_notify.api.schemas import InboxItem, InboxPage
from carbon_notify.domain.model import Recipient
from carbon_notify.domain.subscriptions import inbox_owner
from carbon_notify.service import inbox
from carbon_shared.app import UoW
from carbon_shared.auth import Principal, require_roles
from carbon_shared.errors import Forbidden
from carbon_shared.pagination import Cursor, Limit

router = APIRouter(tags=["inbox"])
InboxReader = Annotated[
    Principal, require_roles("enterprise", "department", "verifier", "region", "regulator")
]


def owner_of(request: Request, who: Principal) -> Recipient:
    owner = inbox_owner(
        role=who.role,
        enterprise_id=who.enterprise_id,
        agency_id=who.agency_id,
        department=who.department,
        regulator_department=request.app.state.settings.regulator_department,
    )
    if owner is None:
        raise Forbidden(f"role {who.role} has no inbox")
    return owner


@router.get("/v1/inbox", response_model=InboxPage, summary="The caller's notifications, newest first")
async def list_inbox(
    request: Request,
    uow: UoW,
    who: InboxReader,
    limit: Limit = 50,
    cursor: Cursor = None,
    unread: Annotated[bool, Query(description="only unread notifications")] = False,
) -> InboxPage:
    async with uow:
        page = await inbox.list_inbox(
            uow, owner=owner_of(request, who), cursor=cursor, limit=limit, unread_only=unread
        )
    return InboxPage(
        items=[InboxItem.of(row) for row in page.items], next_cursor=page.next_cursor, unread=page.unread
    )


@router.post("/v1/inbox/{item_id}/read", response_model=InboxItem, summary="Mark a notification read")
async def mark_read(request: Request, item_id: int, uow: UoW, who: InboxReader) -> InboxItem:
    async with uow:
        row = await inbox.mark_read(uow, owner=owner_of(request, who), item_id=item_id)
        await uow.commit()
    return InboxItem.of(row)
