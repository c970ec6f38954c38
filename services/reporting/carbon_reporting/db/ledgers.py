"""Queries on monthly ledgers (月度存证) and on the deadline notices that make overdue events unique."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_reporting.db.tables import deadline_notices, ledgers
from carbon_reporting.domain.deadlines import OverdueItem
from carbon_shared.db.engine import upsert_ignore


@dataclass(frozen=True)
class StoredLedger:
    enterprise_id: str
    year: int
    month: int
    emissions_tco2e: Decimal
    fuels: list[dict[str, Any]]
    note: str
    filed_by: str
    filed_at: dt.datetime


def _ledger(row: Any) -> StoredLedger:
    return StoredLedger(
        row.enterprise_id,
        row.year,
        row.month,
        row.emissions_tco2e,
        row.fuels,
        row.note,
        row.filed_by,
        row.filed_at,
    )


async def get_ledger(
    session: AsyncSession, *, enterprise_id: str, year: int, month: int
) -> StoredLedger | None:
    row = (
        await session.execute(
            select(ledgers).where(
                ledgers.c.enterprise_id == enterprise_id, ledgers.c.year == year, ledgers.c.month == month
            )
        )
    ).first()
    return None if row is None else _ledger(row)


async def insert_ledger(session: AsyncSession, ledger: StoredLedger) -> None:
    await session.execute(
        insert(ledgers).values(
            enterprise_id=ledger.enterprise_id,
            year=ledger.year,
            month=ledger.month,
            emissions_tco2e=ledger.emissions_tco2e,
            fuels=ledger.fuels,
            note=ledger.note,
            filed_by=ledger.filed_by,
            filed_at=ledger.filed_at,
        )
    )


async def list_ledgers(
    session: AsyncSession,
    *,
    enterprise_id: str | None,
    year: int | None,
    after: tuple[str, int, int] | None,
    limit: int,
) -> list[StoredLedger]:
    query = select(ledgers)
    if enterprise_id is not None:
        query = query.where(ledgers.c.enterprise_id == enterprise_id)
    if year is not None:
        query = query.where(ledgers.c.year == year)
    key = (ledgers.c.enterprise_id, ledgers.c.year, ledgers.c.month)
    if after is not None:
        query = query.where(tuple_(*key) > tuple_(*(literal(value) for value in after)))
    rows = await session.execute(query.order_by(*key).limit(limit))
    return [_ledger(row) for row in rows]


async def monthly_emissions(session: AsyncSession, *, enterprise_id: str, year: int) -> dict[int, Decimal]:
    rows = await session.execute(
        select(ledgers.c.month, ledgers.c.emissions_tco2e).where(
            ledgers.c.enterprise_id == enterprise_id, ledgers.c.year == year
        )
    )
    return {row.month: row.emissions_tco2e for row in rows}


async def filed_months(session: AsyncSession, enterprise_ids: set[str]) -> dict[str, set[tuple[int, int]]]:
    if not enterprise_ids:
        return {}
    rows = await session.execute(
        select(ledgers.c.enterprise_id, ledgers.c.year, ledgers.c.month).where(
            ledgers.c.enterprise_id.in_(enterprise_ids)
        )
    )
    months: dict[str, set[tuple[int, int]]] = {}
    for row in rows:
        months.setdefault(row.enterprise_id, set()).add((row.year, row.month))
    return months


async def claim_notice(session: AsyncSession, item: OverdueItem, *, as_of: dt.date, at: dt.datetime) -> bool:
    """Record that `item`'s overdue event is emitted; False when an earlier run already did (never twice).

    INSERT .. ON CONFLICT DO NOTHING RETURNING: a concurrent run holding the same key waits for the
    other's commit on PostgreSQL, then gets no row back.
    """
    statement = (
        upsert_ignore(session, deadline_notices)
        .values(
            key=item.key,
            kind=item.kind.value,
            enterprise_id=item.enterprise_id,
            year=item.year,
            month=item.month,
            due_date=item.due_date,
            as_of=as_of,
            emitted_at=at,
        )
        .returning(deadline_notices.c.key)
    )
    return (await session.execute(statement)).first() is not None
