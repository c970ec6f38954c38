"""Queries on the read models the registry's events keep: enterprises, directory listings, agencies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_reporting.db.tables import agencies, emitter_listings, enterprises
from carbon_reporting.domain.lifecycle import AgencyStanding
from carbon_shared.db.engine import is_postgres


@dataclass(frozen=True)
class EnterpriseView:
    enterprise_id: str
    name: str
    sector: str
    county_code: str
    status: str
    closed_on: dt.date | None


def _upsert(session: AsyncSession, table: Table, keys: list[str], values: dict[str, object]) -> Any:
    """INSERT .. ON CONFLICT (keys) DO UPDATE for the session's dialect."""
    insert = postgresql.insert if is_postgres(session) else sqlite.insert
    statement = insert(table).values(**values)
    changed = {name: statement.excluded[name] for name in values if name not in keys}
    return statement.on_conflict_do_update(index_elements=keys, set_=changed)


async def save_enterprise(session: AsyncSession, **values: object) -> None:
    await session.execute(_upsert(session, enterprises, ["enterprise_id"], values))


async def close_enterprise(
    session: AsyncSession, *, enterprise_id: str, closed_on: dt.date, at: dt.datetime
) -> bool:
    result = await session.execute(
        update(enterprises)
        .where(enterprises.c.enterprise_id == enterprise_id)
        .values(status="closed", closed_on=closed_on, updated_at=at)
    )
    return bool(getattr(result, "rowcount", 0))


async def get_enterprise(session: AsyncSession, enterprise_id: str) -> EnterpriseView | None:
    row = (
        await session.execute(select(enterprises).where(enterprises.c.enterprise_id == enterprise_id))
    ).first()
    if row is None:
        return None
    return EnterpriseView(row.enterprise_id, row.name, row.sector, row.county_code, row.status, row.closed_on)


async def enterprise_names(session: AsyncSession, enterprise_ids: set[str]) -> dict[str, str]:
    if not enterprise_ids:
        return {}
    rows = await session.execute(
        select(enterprises.c.enterprise_id, enterprises.c.name).where(
            enterprises.c.enterprise_id.in_(enterprise_ids)
        )
    )
    return {row.enterprise_id: row.name for row in rows}


async def set_listing(
    session: AsyncSession, *, enterprise_id: str, year: int, listed: bool, rule: str, at: dt.datetime
) -> None:
    values = {"enterprise_id": enterprise_id, "year": year, "listed": listed, "rule": rule, "updated_at": at}
    await session.execute(_upsert(session, emitter_listings, ["enterprise_id", "year"], values))


async def delist_from(
    session: AsyncSession, *, enterprise_id: str, year: int, rule: str, at: dt.datetime
) -> None:
    """Delisting takes effect from `year` on: that year and every later listing stop counting."""
    await session.execute(
        update(emitter_listings)
        .where(emitter_listings.c.enterprise_id == enterprise_id, emitter_listings.c.year > year)
        .values(listed=False, rule=rule, updated_at=at)
    )
    await set_listing(session, enterprise_id=enterprise_id, year=year, listed=False, rule=rule, at=at)


async def is_listed(session: AsyncSession, *, enterprise_id: str, year: int) -> bool:
    listed = await session.execute(
        select(emitter_listings.c.listed).where(
            emitter_listings.c.enterprise_id == enterprise_id, emitter_listings.c.year == year
        )
    )
    return bool(listed.scalar_one_or_none())


async def listed_years(session: AsyncSession, *, up_to_year: int) -> dict[str, set[int]]:
    """Every enterprise's listed years up to `up_to_year` (what the deadline check needs)."""
    rows = await session.execute(
        select(emitter_listings.c.enterprise_id, emitter_listings.c.year).where(
            emitter_listings.c.listed.is_(True), emitter_listings.c.year <= up_to_year
        )
    )
    years: dict[str, set[int]] = {}
    for row in rows:
        years.setdefault(row.enterprise_id, set()).add(row.year)
    return years


async def closure_dates(session: AsyncSession, enterprise_ids: set[str]) -> dict[str, dt.date]:
    if not enterprise_ids:
        return {}
    rows = await session.execute(
        select(enterprises.c.enterprise_id, enterprises.c.closed_on).where(
            enterprises.c.enterprise_id.in_(enterprise_ids), enterprises.c.closed_on.is_not(None)
        )
    )
    return {row.enterprise_id: row.closed_on for row in rows}


async def save_agency(
    session: AsyncSession, *, agency_id: str, name: str, kind: str, at: dt.datetime
) -> None:
    values = {"agency_id": agency_id, "name": name, "kind": kind, "updated_at": at}
    await session.execute(_upsert(session, agencies, ["agency_id"], values))


async def get_agency_for_update(session: AsyncSession, agency_id: str) -> AgencyStanding | None:
    row = (
        await session.execute(select(agencies).where(agencies.c.agency_id == agency_id).with_for_update())
    ).first()
    return None if row is None else AgencyStanding(row.agency_id, row.kind, row.banned_until)


async def get_agency(session: AsyncSession, agency_id: str) -> AgencyStanding | None:
    row = (await session.execute(select(agencies).where(agencies.c.agency_id == agency_id))).first()
    return None if row is None else AgencyStanding(row.agency_id, row.kind, row.banned_until)


async def insert_agency(
    session: AsyncSession,
    *,
    agency_id: str,
    name: str,
    kind: str,
    banned_until: dt.date | None,
    at: dt.datetime,
) -> None:
    await session.execute(
        agencies.insert().values(
            agency_id=agency_id, name=name, kind=kind, banned_until=banned_until, updated_at=at
        )
    )


async def set_ban(session: AsyncSession, *, agency_id: str, banned_until: dt.date, at: dt.datetime) -> None:
    await session.execute(
        update(agencies)
        .where(agencies.c.agency_id == agency_id)
        .values(banned_until=banned_until, updated_at=at)
    )
