"""Accounts repository: the enterprise read model fed by registry events, and the per-enterprise lock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_allowance.db.tables import accounts
from carbon_shared.db.engine import upsert_ignore

REGISTERED = "registered"
CLOSED = "closed"
UNREGISTERED = "unregistered"  # known only from a verified report so far


async def lock(session: AsyncSession, enterprise_id: str) -> Any | None:
    """The account row, locked until the transaction ends (SELECT ... FOR UPDATE); None if unknown.

    Every change to an enterprise's holdings or obligations takes this lock first, so concurrent
    surrenders, allocations and holds on one enterprise run one after the other.
    """
    query = select(accounts).where(accounts.c.enterprise_id == enterprise_id).with_for_update()
    return (await session.execute(query)).first()


async def get(session: AsyncSession, enterprise_id: str) -> Any | None:
    return (await session.execute(select(accounts).where(accounts.c.enterprise_id == enterprise_id))).first()


async def ensure(session: AsyncSession, enterprise_id: str, *, now: dt.datetime) -> None:
    """Create a placeholder account for an enterprise the registry has not told us about yet."""
    row = {"enterprise_id": enterprise_id, "status": UNREGISTERED, "updated_at": now}
    await session.execute(upsert_ignore(session, accounts).values(**row))


async def save_snapshot(session: AsyncSession, *, snapshot: dict[str, Any], now: dt.datetime) -> None:
    """Insert or overwrite the enterprise's name, sector, county and status from a registry event."""
    await ensure(session, snapshot["enterprise_id"], now=now)
    await lock(session, snapshot["enterprise_id"])
    values = {key: snapshot[key] for key in ("uscc", "name", "sector", "county_code")}
    values["status"] = CLOSED if snapshot["status"] == "closed" else REGISTERED
    await session.execute(
        update(accounts)
        .where(accounts.c.enterprise_id == snapshot["enterprise_id"])
        .values(**values, updated_at=now)
    )


async def mark_closed(
    session: AsyncSession, *, enterprise_id: str, closed_on: dt.date, now: dt.datetime
) -> None:
    await ensure(session, enterprise_id, now=now)
    await lock(session, enterprise_id)
    await session.execute(
        update(accounts)
        .where(accounts.c.enterprise_id == enterprise_id)
        .values(status=CLOSED, closed_on=closed_on, updated_at=now)
    )
