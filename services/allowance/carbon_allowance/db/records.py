"""Business records beside the ledger: allocations, shortfall deductions, surrenders, deposits, transfers.

Each row names the ledger entry that moved its units; the ledger stays the source of balances.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_allowance.db.tables import (
    allocations,
    ccer_deposits,
    shortfall_deductions,
    surrenders,
    transfers,
)
from carbon_shared.db.engine import upsert_ignore


async def add(session: AsyncSession, table: Table, **values: Any) -> None:
    await session.execute(insert_of(table, **values))


def insert_of(table: Table, **values: Any) -> Any:
    """The INSERT of one record, for callers that send it with their ledger entry (`ledger.append`)."""
    return insert(table).values(**values)


async def get(session: AsyncSession, table: Table, key: str, value: str) -> Any | None:
    return (await session.execute(select(table).where(table.c[key] == value))).first()


async def latest_allocation(session: AsyncSession, enterprise_id: str, year: int) -> Any | None:
    """The last issuance for (enterprise, year): its `amount` is what a new one trues up against."""
    query = (
        select(allocations)
        .where(allocations.c.enterprise_id == enterprise_id, allocations.c.year == year)
        .order_by(allocations.c.created_at.desc(), allocations.c.allocation_id.desc())
        .limit(1)
    )
    return (await session.execute(query)).first()


async def pending_deductions(session: AsyncSession, enterprise_id: str, deduction_year: int) -> list[Any]:
    """Shortfalls still to withhold from the allocation of `deduction_year`, oldest source year first."""
    query = (
        select(shortfall_deductions)
        .where(
            shortfall_deductions.c.enterprise_id == enterprise_id,
            shortfall_deductions.c.deduction_year == deduction_year,
            shortfall_deductions.c.remaining > 0,
        )
        .order_by(shortfall_deductions.c.source_year)
    )
    return list(await session.execute(query))


async def consume_deductions(session: AsyncSession, rows: list[Any], amount: int) -> None:
    """Lower the remaining shortfalls by `amount` in source-year order."""
    for row in rows:
        if amount <= 0:
            return
        taken = min(int(row.remaining), amount)
        amount -= taken
        await session.execute(
            update(shortfall_deductions)
            .where(
                shortfall_deductions.c.enterprise_id == row.enterprise_id,
                shortfall_deductions.c.source_year == row.source_year,
            )
            .values(remaining=shortfall_deductions.c.remaining - taken)
        )


async def add_deductions(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Record overdue shortfalls in bulk; a shortfall already recorded for a year is kept as it was."""
    if rows:
        await session.execute(upsert_ignore(session, shortfall_deductions), rows)


async def page(
    session: AsyncSession,
    table: Table,
    *,
    id_column: str,
    filters: dict[str, Any],
    after: tuple[dt.datetime, str] | None,
    limit: int,
) -> list[Any]:
    """Rows ordered by (created_at, id), filtered on equal columns, keyset-paged."""
    created, ident = table.c.created_at, table.c[id_column]
    query = select(table)
    for column, value in filters.items():
        if value is not None:
            query = query.where(table.c[column] == value)
    if after is not None:
        query = query.where((created > after[0]) | ((created == after[0]) & (ident > after[1])))
    return list(await session.execute(query.order_by(created, ident).limit(limit)))


async def surrendered_totals(session: AsyncSession, enterprise_id: str, year: int) -> tuple[int, int]:
    query = select(
        func.coalesce(func.sum(surrenders.c.allowances), 0), func.coalesce(func.sum(surrenders.c.ccer), 0)
    )
    row = (
        await session.execute(
            query.where(surrenders.c.enterprise_id == enterprise_id, surrenders.c.year == year)
        )
    ).one()
    return int(row[0]), int(row[1])


__all__ = [
    "add",
    "add_deductions",
    "allocations",
    "ccer_deposits",
    "consume_deductions",
    "get",
    "insert_of",
    "latest_allocation",
    "page",
    "pending_deductions",
    "surrendered_totals",
    "surrenders",
    "transfers",
]
