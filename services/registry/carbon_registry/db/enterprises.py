"""Queries on enterprises and their change history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_registry.db.tables import directory_status, enterprise_history, enterprises
from carbon_registry.domain.contacts import ContactDetails
from carbon_registry.domain.enterprise import EnterpriseSnapshot, EnterpriseStatus, Facility

# PostgreSQL takes at most 32,767 bound parameters per statement; IN lists stay well below that.
_IN_CHUNK = 5_000


@dataclass(frozen=True)
class EnterpriseRecord:
    enterprise_id: str
    snapshot: EnterpriseSnapshot
    closure_reason: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class EnterpriseFilter:
    sector: str | None = None
    county_code: str | None = None
    status: str | None = None
    key_emitter: bool | None = None
    directory_year: int | None = None
    search: str | None = None
    only_id: str | None = None  # an enterprise caller sees only its own record


@dataclass(frozen=True)
class HistoryEntry:
    entry_id: int
    enterprise_id: str
    at: dt.datetime
    actor: str
    action: str
    changes: dict[str, Any]


def contacts_json(contacts: Iterable[ContactDetails]) -> list[dict[str, str | None]]:
    return [{"name": c.name, "email": c.email, "phone": c.phone} for c in contacts]


def facilities_json(facilities: Iterable[Facility]) -> list[dict[str, str | None]]:
    return [
        {"name": f.name, "kind": f.kind, "capacity_mw": None if f.capacity_mw is None else str(f.capacity_mw)}
        for f in facilities
    ]


def snapshot_row(snapshot: EnterpriseSnapshot) -> dict[str, Any]:
    """The columns a snapshot occupies (JSON documents for contacts and facilities)."""
    return {
        "uscc": snapshot.uscc,
        "name": snapshot.name,
        "sector": snapshot.sector,
        "county_code": snapshot.county_code,
        "status": snapshot.status.value,
        "closed_on": snapshot.closed_on,
        "address": snapshot.address,
        "legal_representative": snapshot.legal_representative,
        "industry_code": snapshot.industry_code,
        "contacts": contacts_json(snapshot.contacts),
        "facilities": facilities_json(snapshot.facilities),
    }


def _snapshot(row: Any) -> EnterpriseSnapshot:
    return EnterpriseSnapshot(
        uscc=row.uscc,
        name=row.name,
        sector=row.sector,
        county_code=row.county_code,
        contacts=tuple(ContactDetails(c["name"], c.get("email"), c.get("phone")) for c in row.contacts),
        address=row.address,
        legal_representative=row.legal_representative,
        industry_code=row.industry_code,
        status=EnterpriseStatus(row.status),
        closed_on=row.closed_on,
        facilities=tuple(
            Facility(
                f["name"], f.get("kind"), None if f.get("capacity_mw") is None else Decimal(f["capacity_mw"])
            )
            for f in row.facilities
        ),
    )


def _record(row: Any) -> EnterpriseRecord:
    return EnterpriseRecord(
        enterprise_id=row.enterprise_id,
        snapshot=_snapshot(row),
        closure_reason=row.closure_reason,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def insert_enterprises(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """One multi-row INSERT (batched by the driver): the bulk import's fast path."""
    if rows:
        await session.execute(insert(enterprises), list(rows))


async def registered_usccs(session: AsyncSession, usccs: Sequence[str]) -> set[str]:
    """Which of `usccs` are already registered."""
    found: set[str] = set()
    for start in range(0, len(usccs), _IN_CHUNK):
        chunk = usccs[start : start + _IN_CHUNK]
        query = select(enterprises.c.uscc).where(enterprises.c.uscc.in_(chunk))
        found.update((await session.execute(query)).scalars())
    return found


async def get_enterprise(
    session: AsyncSession, enterprise_id: str, *, lock: bool = False
) -> EnterpriseRecord | None:
    query = select(enterprises).where(enterprises.c.enterprise_id == enterprise_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    return _record(row) if row else None


async def save_enterprise(
    session: AsyncSession,
    record: EnterpriseRecord,
    *,
    snapshot: EnterpriseSnapshot,
    closure_reason: str | None,
) -> None:
    values = snapshot_row(snapshot) | {
        "closure_reason": closure_reason,
        "version": record.version + 1,
        "updated_at": dt.datetime.now(dt.UTC),
    }
    await session.execute(
        update(enterprises).where(enterprises.c.enterprise_id == record.enterprise_id).values(**values)
    )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filtered(query: Select[Any], where: EnterpriseFilter) -> Select[Any]:
    for column, value in (
        (enterprises.c.sector, where.sector),
        (enterprises.c.county_code, where.county_code),
        (enterprises.c.status, where.status),
        (enterprises.c.enterprise_id, where.only_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if where.search:
        text = where.search.strip()
        query = query.where(
            or_(
                enterprises.c.name.like(_like(text), escape="\\"),
                enterprises.c.uscc.like(_like(text.upper()), escape="\\"),
            )
        )
    if where.key_emitter is not None and where.directory_year is not None:
        listed = select(directory_status.c.enterprise_id).where(
            directory_status.c.year == where.directory_year, directory_status.c.listed.is_(True)
        )
        member = enterprises.c.enterprise_id.in_(listed)
        query = query.where(member if where.key_emitter else ~member)
    return query


async def list_enterprises(
    session: AsyncSession, *, where: EnterpriseFilter, after: str | None, limit: int
) -> list[EnterpriseRecord]:
    """`limit + 1` enterprises in id order after the cursor (the extra one says there is a next page)."""
    query = _filtered(select(enterprises), where)
    if after is not None:
        query = query.where(enterprises.c.enterprise_id > after)
    rows = await session.execute(query.order_by(enterprises.c.enterprise_id).limit(limit + 1))
    return [_record(row) for row in rows]


async def insert_history(session: AsyncSession, entries: Sequence[dict[str, Any]]) -> None:
    if entries:
        await session.execute(insert(enterprise_history), list(entries))


async def list_history(
    session: AsyncSession, enterprise_id: str, *, after: int | None, limit: int
) -> list[HistoryEntry]:
    query = select(enterprise_history).where(enterprise_history.c.enterprise_id == enterprise_id)
    if after is not None:
        query = query.where(enterprise_history.c.id > after)
    rows = await session.execute(query.order_by(enterprise_history.c.id).limit(limit + 1))
    return [
        HistoryEntry(row.id, row.enterprise_id, row.at, row.actor, row.action, row.changes) for row in rows
    ]
