"""SMS numbers: a department (or the regulator, for the ecology bureau) registers the phones its
routes' sms channel texts; owners see and remove their own, operations every owner's."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Request, Response

from carbon_notify.api.schemas import SmsNumberIn, SmsNumberOut
from carbon_notify.domain.model import Recipient
from carbon_notify.domain.subscriptions import sms_owner
from carbon_notify.service import sms_numbers
from carbon_shared.app import UoW
from carbon_shared.auth import Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["sms numbers"])
Owner = Annotated[Principal, require_roles("department", "regulator")]
OwnerOrOps = Annotated[Principal, require_roles("department", "regulator", "ops")]


def _owner(request: Request, who: Principal) -> Recipient | None:
    """The caller's department; operations act on every owner's numbers (None)."""
    if who.role == "ops":
        return None
    regulator_department = request.app.state.settings.regulator_department
    owner = sms_owner(role=who.role, department=who.department, regulator_department=regulator_department)
    assert owner is not None  # the role guard admits only departments and the regulator
    return owner


@router.post("/v1/sms-numbers", status_code=201, response_model=SmsNumberOut, summary="Register a phone")
async def register(request: Request, body: SmsNumberIn, uow: UoW, who: Owner) -> SmsNumberOut:
    owner = _owner(request, who)
    assert owner is not None
    async with uow:
        row = await sms_numbers.register_sms_number(uow, owner=owner, phone=body.phone, label=body.label)
        await uow.commit()
    return SmsNumberOut.of(row)


@router.get("/v1/sms-numbers", response_model=Page[SmsNumberOut], summary="Registered phones")
async def list_numbers(
    request: Request, uow: UoW, who: OwnerOrOps, limit: Limit = 50, cursor: Cursor = None
) -> Page[SmsNumberOut]:
    async with uow:
        page = await sms_numbers.list_sms_numbers(uow, owner=_owner(request, who), cursor=cursor, limit=limit)
    return Page[SmsNumberOut](items=[SmsNumberOut.of(r) for r in page.items], next_cursor=page.next_cursor)


@router.delete("/v1/sms-numbers/{number_id}", status_code=204, summary="Remove a phone")
async def remove(request: Request, number_id: uuid.UUID, uow: UoW, who: OwnerOrOps) -> Response:
    async with uow:
        await sms_numbers.remove_sms_number(uow, owner=_owner(request, who), number_id=number_id)
        await uow.commit()
    return Response(status_code=204)
