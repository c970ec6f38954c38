"""Holds repository: pledges and judicial freezes, with the exact lots each one took."""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_allowance.db.ledger import instrument_of
from carbon_allowance.db.tables import holds
from carbon_allowance.domain.holds import Hold, HoldKind
from carbon_allowance.domain.ledger_entries import Lot

OPEN = "open"
RELEASED = "released"


def lots_to_json(lots: tuple[Lot, ...]) -> list[dict[str, Any]]:
    return [
        {"kind": i.kind.value, "vintage": i.vintage, "project_ref": i.project_ref, "quantity": units}
        for i, units in lots
    ]


def _hold(row: Any) -> Hold:
    lots = tuple(
        (instrument_of(lot["kind"], lot["vintage"], lot["project_ref"]), int(lot["quantity"]))
        for lot in row.lots
    )
    return Hold(row.hold_id, HoldKind(row.kind), row.enterprise_id, lots, row.holder)


async def open_for_enterprise(session: AsyncSession, enterprise_id: str) -> MappingProxyType[str, Hold]:
    query = select(holds).where(holds.c.enterprise_id == enterprise_id, holds.c.status == OPEN)
    return MappingProxyType({row.hold_id: _hold(row) for row in await session.execute(query)})


async def add(session: AsyncSession, *, hold: Hold, reason: str, entry_id: str, now: dt.datetime) -> None:
    await session.execute(
        insert(holds).values(
            hold_id=hold.hold_id,
            kind=hold.kind.value,
            enterprise_id=hold.enterprise_id,
            holder=hold.holder,
            amount=hold.amount,
            lots=lots_to_json(hold.lots),
            status=OPEN,
            reason=reason,
            made_entry_id=entry_id,
            created_at=now,
        )
    )


async def get(session: AsyncSession, hold_id: str) -> Any | None:
    return (await session.execute(select(holds).where(holds.c.hold_id == hold_id))).first()


async def mark_released(session: AsyncSession, *, hold_id: str, entry_id: str, now: dt.datetime) -> None:
    await session.execute(
        update(holds)
        .where(holds.c.hold_id == hold_id)
        .values(status=RELEASED, released_entry_id=entry_id, released_at=now)
    )
