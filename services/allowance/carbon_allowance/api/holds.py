"""Pledges to a bank (质押) and judicial freezes, each with its release."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from carbon_allowance.api.common import READERS, actor_of, own_enterprise, time_cursor
from carbon_allowance.api.schemas import FreezeIn, HoldingOut, HoldOut, PledgeIn, ReleaseIn
from carbon_allowance.db import records
from carbon_allowance.db.holds import lots_to_json
from carbon_allowance.db.ledger import instrument_of
from carbon_allowance.db.tables import holds as holds_table
from carbon_allowance.domain.holds import HoldKind
from carbon_allowance.service.holds import HoldRecord, place_hold, release_hold
from carbon_shared.app import UoW
from carbon_shared.auth import Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page, page_of

router = APIRouter(tags=["pledges and freezes"])
Pledger = Annotated[Principal, require_roles("regulator", "region")]
Court = Annotated[Principal, require_roles("regulator")]
Reader = Annotated[Principal, require_roles(*READERS)]


@router.post("/v1/pledges", status_code=201, response_model=HoldOut)
async def pledge(body: PledgeIn, uow: UoW, who: Pledger) -> HoldOut:
    """Pledge available allowances to a bank: they are frozen until the pledge is released."""
    async with uow:
        record = await place_hold(
            uow,
            kind=HoldKind.PLEDGE,
            enterprise_id=body.enterprise_id,
            amount=body.amount,
            holder=body.pledgee,
            reason=body.reason,
            actor=actor_of(who),
        )
        await uow.commit()
    return _out(record)


@router.post("/v1/pledges/{pledge_id}/release", response_model=HoldOut)
async def release_pledge(pledge_id: str, body: ReleaseIn, uow: UoW, who: Pledger) -> HoldOut:
    async with uow:
        record = await release_hold(
            uow, kind=HoldKind.PLEDGE, hold_id=pledge_id, reason=body.reason, actor=actor_of(who)
        )
        await uow.commit()
    return _out(record)


@router.post("/v1/freezes", status_code=201, response_model=HoldOut)
async def freeze(body: FreezeIn, uow: UoW, who: Court) -> HoldOut:
    """A judicial freeze: the units cannot be transferred or surrendered until it is lifted."""
    async with uow:
        record = await place_hold(
            uow,
            kind=HoldKind.JUDICIAL_FREEZE,
            enterprise_id=body.enterprise_id,
            amount=body.amount,
            holder=body.authority,
            reason=body.reason,
            actor=actor_of(who),
        )
        await uow.commit()
    return _out(record)


@router.post("/v1/freezes/{freeze_id}/lift", response_model=HoldOut)
async def lift_freeze(freeze_id: str, body: ReleaseIn, uow: UoW, who: Court) -> HoldOut:
    async with uow:
        record = await release_hold(
            uow, kind=HoldKind.JUDICIAL_FREEZE, hold_id=freeze_id, reason=body.reason, actor=actor_of(who)
        )
        await uow.commit()
    return _out(record)


@router.get("/v1/pledges", response_model=Page[HoldOut])
async def list_pledges(
    uow: UoW, who: Reader, limit: Limit = 100, cursor: Cursor = None, enterprise_id: str | None = None
) -> Page[HoldOut]:
    return await _page(uow, who, HoldKind.PLEDGE, limit, cursor, enterprise_id)


@router.get("/v1/freezes", response_model=Page[HoldOut])
async def list_freezes(
    uow: UoW, who: Reader, limit: Limit = 100, cursor: Cursor = None, enterprise_id: str | None = None
) -> Page[HoldOut]:
    return await _page(uow, who, HoldKind.JUDICIAL_FREEZE, limit, cursor, enterprise_id)


async def _page(
    uow: UoW, who: Principal, kind: HoldKind, limit: int, cursor: str | None, enterprise_id: str | None
) -> Page[HoldOut]:
    filters = {"enterprise_id": own_enterprise(who, enterprise_id), "kind": kind.value}
    async with uow:
        rows = await records.page(
            uow.session,
            holds_table,
            id_column="hold_id",
            filters=filters,
            after=time_cursor(cursor),
            limit=limit + 1,
        )
    items = [_row_out(row) for row in rows]
    return page_of(items, limit, lambda item: [item.created_at.isoformat(), item.id])


def _lots_out(lots: list[dict[str, Any]]) -> list[HoldingOut]:
    return [
        HoldingOut(
            account="frozen",
            instrument=instrument_of(lot["kind"], lot["vintage"], lot["project_ref"]).code,
            units=lot["quantity"],
        )
        for lot in lots
    ]


def _out(record: HoldRecord) -> HoldOut:
    h = record.hold
    return HoldOut(
        id=h.hold_id,
        enterprise_id=h.enterprise_id,
        amount=h.amount,
        holder=h.holder,
        status=record.status,  # type: ignore[arg-type]
        reason=record.reason,
        lots=_lots_out(lots_to_json(h.lots)),
        created_at=record.created_at,
        released_at=record.released_at,
    )


def _row_out(row: Any) -> HoldOut:
    return HoldOut(
        id=row.hold_id,
        enterprise_id=row.enterprise_id,
        amount=row.amount,
        holder=row.holder,
        status=row.status,
        reason=row.reason,
        lots=_lots_out(row.lots),
        created_at=row.created_at,
        released_at=row.released_at,
    )
