"""Obligations repository: one row per (enterprise, year), the stored status, the set-based deadline mark."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, literal, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_allowance.db.tables import accounts, obligations
from carbon_allowance.domain.obligations import Obligation, ObligationStatus
from carbon_shared.db.engine import is_postgres


@dataclass(frozen=True)
class StoredObligation:
    """The domain obligation plus what only storage knows: the marked status and the report behind it."""

    obligation: Obligation
    status: ObligationStatus
    report_id: str
    overdue_on: dt.date | None


def _from_row(row: Any) -> StoredObligation:
    obligation = Obligation(
        enterprise_id=row.enterprise_id,
        year=row.year,
        revision=row.revision,
        obligation_tco2e=row.obligation_tco2e,
        due_date=row.due_date,
        surrendered_allowances=int(row.surrendered_allowances),
        surrendered_ccer=int(row.surrendered_ccer),
        fulfilled_on=row.fulfilled_on,
    )
    return StoredObligation(obligation, ObligationStatus(row.status), row.report_id, row.overdue_on)


def _key(enterprise_id: str, year: int) -> Any:
    return (obligations.c.enterprise_id == enterprise_id) & (obligations.c.year == year)


async def get_for_update(session: AsyncSession, enterprise_id: str, year: int) -> StoredObligation | None:
    row = (
        await session.execute(select(obligations).where(_key(enterprise_id, year)).with_for_update())
    ).first()
    return _from_row(row) if row else None


async def lock_with_account(session: AsyncSession, enterprise_id: str, year: int) -> StoredObligation | None:
    """Lock the enterprise's account row and its obligation for `year` in one statement; None if either
    is missing. Every change locks the account first (`accounts.lock`): `accounts` leads the FROM list,
    and PostgreSQL's LockRows takes the row locks in that order, so the order holds here too.
    """
    query = (
        select(obligations)
        .select_from(accounts.join(obligations, accounts.c.enterprise_id == obligations.c.enterprise_id))
        .where(_key(enterprise_id, year))
        .with_for_update()
    )
    row = (await session.execute(query)).first()
    return _from_row(row) if row else None


async def list_for_enterprise(session: AsyncSession, enterprise_id: str) -> list[StoredObligation]:
    query = (
        select(obligations).where(obligations.c.enterprise_id == enterprise_id).order_by(obligations.c.year)
    )
    return [_from_row(row) for row in await session.execute(query)]


def _values(stored: StoredObligation, now: dt.datetime) -> dict[str, Any]:
    o = stored.obligation
    return {
        "revision": o.revision,
        "report_id": stored.report_id,
        "obligation_tco2e": o.obligation_tco2e,
        "due_date": o.due_date,
        "surrendered_allowances": o.surrendered_allowances,
        "surrendered_ccer": o.surrendered_ccer,
        "status": stored.status.value,
        "fulfilled_on": o.fulfilled_on,
        "overdue_on": stored.overdue_on,
        "updated_at": now,
    }


async def insert_new(session: AsyncSession, stored: StoredObligation, *, now: dt.datetime) -> None:
    o = stored.obligation
    await session.execute(
        insert(obligations).values(
            enterprise_id=o.enterprise_id, year=o.year, established_at=now, **_values(stored, now)
        )
    )


async def save(session: AsyncSession, stored: StoredObligation, *, now: dt.datetime) -> None:
    await session.execute(save_statement(stored, now=now))


def save_statement(stored: StoredObligation, *, now: dt.datetime) -> Any:
    """The UPDATE storing `stored`, for callers that send it with their ledger entry."""
    o = stored.obligation
    return update(obligations).where(_key(o.enterprise_id, o.year)).values(**_values(stored, now))


def _overdue_condition(as_of: dt.date, year: int | None) -> Any:
    condition = (obligations.c.status == ObligationStatus.OPEN.value) & (obligations.c.due_date < as_of)
    return condition if year is None else condition & (obligations.c.year == year)


async def due_dates_to_mark(session: AsyncSession, *, as_of: dt.date, year: int | None) -> list[dt.date]:
    """The distinct due dates of the obligations a deadline check as of `as_of` would mark."""
    query = select(obligations.c.due_date).where(_overdue_condition(as_of, year)).distinct()
    return list((await session.execute(query)).scalars())


async def mark_overdue_chunk(
    session: AsyncSession,
    *,
    as_of: dt.date,
    year: int | None,
    now: dt.datetime,
    after: tuple[str, int] | None,
    limit: int,
) -> list[StoredObligation]:
    """Mark up to `limit` open obligations due before `as_of` overdue, in (enterprise, year) order after
    `after`; returns the marked rows in that order.

    Only rows still `open` match, so a second run (or a concurrent one, which waits for the row locks
    and re-checks the condition on PostgreSQL) marks nothing again: one SurrenderOverdue per obligation.
    The key order walks the primary key, so each chunk reads only its own slice of the table.
    """
    key = tuple_(obligations.c.enterprise_id, obligations.c.year)
    chosen = select(obligations.c.enterprise_id, obligations.c.year).where(_overdue_condition(as_of, year))
    if after is not None:
        chosen = chosen.where(key > tuple_(literal(after[0]), literal(after[1])))
    chosen = chosen.order_by(obligations.c.enterprise_id, obligations.c.year).limit(limit).with_for_update()
    statement = (
        update(obligations)
        .where(*_in_slice(session, chosen, key))
        .values(status=ObligationStatus.OVERDUE.value, overdue_on=as_of, updated_at=now)
        .returning(*obligations.c)
    )
    marked = [_from_row(row) for row in await session.execute(statement)]
    return sorted(marked, key=lambda s: (s.obligation.enterprise_id, s.obligation.year))


def _in_slice(session: AsyncSession, chosen: Any, key: Any) -> list[Any]:
    """The UPDATE's condition: the row is one of `chosen` (a locked, limited slice of keys)."""
    if is_postgres(session):
        # A CTE, evaluated once: as `IN (subquery)` PostgreSQL may re-run the LIMIT per outer row and mark
        # far more than `limit` rows. No status test on the outer rows: FOR UPDATE re-checks the CTE's
        # condition once the lock is held, and a join on the primary key alone stays an index lookup.
        slice_ = chosen.cte("overdue_slice")
        return [obligations.c.enterprise_id == slice_.c.enterprise_id, obligations.c.year == slice_.c.year]
    # SQLite: no leading WITH, since pysqlite opens its implicit transaction only for statements that
    # start with INSERT/UPDATE/DELETE (a WITH .. UPDATE would commit at once, outside the chunk's
    # transaction); it evaluates this uncorrelated subquery once.
    return [key.in_(chosen)]


async def count_by_status(session: AsyncSession, year: int) -> dict[ObligationStatus, int]:
    query = (
        select(obligations.c.status, func.count())
        .where(obligations.c.year == year)
        .group_by(obligations.c.status)
    )
    counts = {status: 0 for status in ObligationStatus}
    for status, count in await session.execute(query):
        counts[ObligationStatus(status)] = int(count)
    return counts


async def with_enterprises(
    session: AsyncSession, years: list[int] | None
) -> list[tuple[StoredObligation, Any]]:
    """Obligations joined with the enterprise read model (sector, county) for statistics."""
    query = select(obligations, accounts.c.sector, accounts.c.county_code).join(
        accounts, accounts.c.enterprise_id == obligations.c.enterprise_id
    )
    if years is not None:
        query = query.where(obligations.c.year.in_(years))
    return [(_from_row(row), row) for row in await session.execute(query)]


async def list_page(
    session: AsyncSession,
    *,
    year: int | None,
    status: str | None,
    enterprise_id: str | None,
    after: tuple[int, str] | None,
    limit: int,
) -> list[StoredObligation]:
    """Obligations ordered by (year, enterprise), keyset-paged."""
    query = select(obligations)
    if enterprise_id is not None:
        query = query.where(obligations.c.enterprise_id == enterprise_id)
    if year is not None:
        query = query.where(obligations.c.year == year)
    if status is not None:
        query = query.where(obligations.c.status == status)
    if after is not None:
        after_year, after_enterprise = after
        query = query.where(
            (obligations.c.year > after_year)
            | ((obligations.c.year == after_year) & (obligations.c.enterprise_id > after_enterprise))
        )
    query = query.order_by(obligations.c.year, obligations.c.enterprise_id).limit(limit)
    return [_from_row(row) for row in await session.execute(query)]


async def latest_years(session: AsyncSession) -> dict[str, int]:
    """Each enterprise's most recent obligation year."""
    query = select(obligations.c.enterprise_id, func.max(obligations.c.year)).group_by(
        obligations.c.enterprise_id
    )
    return {enterprise_id: int(year) for enterprise_id, year in await session.execute(query)}
