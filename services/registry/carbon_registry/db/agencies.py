"""Queries on third-party agencies and their findings (inspections and violations)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_registry.db.tables import agencies, agency_findings
from carbon_registry.domain.agency import AgencyDraft, AgencyKind, Finding


@dataclass(frozen=True)
class AgencyRecord:
    agency_id: str
    uscc: str
    name: str
    kind: AgencyKind
    banned_until: dt.date | None
    created_at: dt.datetime


@dataclass(frozen=True)
class FindingRecord:
    finding_id: str
    agency_id: str
    source: str  # "inspection" or "violation"
    passed: bool | None
    kind: str | None
    occurred_on: dt.date
    findings: str
    banned_until: dt.date | None
    recorded_by: str
    recorded_at: dt.datetime


def _agency(row: Any) -> AgencyRecord:
    return AgencyRecord(
        row.agency_id, row.uscc, row.name, AgencyKind(row.kind), row.banned_until, row.created_at
    )


async def insert_agency(session: AsyncSession, *, agency_id: str, draft: AgencyDraft) -> AgencyRecord:
    record = AgencyRecord(agency_id, draft.uscc, draft.name, draft.kind, None, dt.datetime.now(dt.UTC))
    values = {
        "agency_id": agency_id,
        "uscc": draft.uscc,
        "name": draft.name,
        "kind": draft.kind.value,
        "banned_until": None,
        "created_at": record.created_at,
    }
    await session.execute(insert(agencies).values(**values))
    return record


async def uscc_registered(session: AsyncSession, uscc: str) -> bool:
    query = select(agencies.c.agency_id).where(agencies.c.uscc == uscc)
    return (await session.execute(query)).first() is not None


async def get_agency(session: AsyncSession, agency_id: str, *, lock: bool = False) -> AgencyRecord | None:
    query = select(agencies).where(agencies.c.agency_id == agency_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    return _agency(row) if row else None


async def set_ban(session: AsyncSession, agency_id: str, banned_until: dt.date | None) -> None:
    await session.execute(
        update(agencies).where(agencies.c.agency_id == agency_id).values(banned_until=banned_until)
    )


async def list_agencies(
    session: AsyncSession, *, kind: str | None, only_id: str | None, after: str | None, limit: int | None
) -> list[AgencyRecord]:
    query = select(agencies)
    if kind is not None:
        query = query.where(agencies.c.kind == kind)
    if only_id is not None:
        query = query.where(agencies.c.agency_id == only_id)
    if after is not None:
        query = query.where(agencies.c.agency_id > after)
    query = query.order_by(agencies.c.agency_id)
    rows = await session.execute(query if limit is None else query.limit(limit + 1))
    return [_agency(row) for row in rows]


async def insert_finding(
    session: AsyncSession,
    *,
    finding_id: str,
    agency_id: str,
    source: str,
    passed: bool | None,
    finding: Finding,
    actor: str,
) -> FindingRecord:
    record = FindingRecord(
        finding_id=finding_id,
        agency_id=agency_id,
        source=source,
        passed=passed,
        kind=finding.kind.value if finding.kind else None,
        occurred_on=finding.occurred_on,
        findings=finding.findings,
        banned_until=finding.banned_until,
        recorded_by=actor,
        recorded_at=dt.datetime.now(dt.UTC),
    )
    await session.execute(insert(agency_findings).values(**record.__dict__))
    return record


async def list_findings(
    session: AsyncSession, agency_id: str, *, source: str, after: str | None, limit: int
) -> list[FindingRecord]:
    """Inspections (source "inspection"), or every sanctioning finding, failed inspections included."""
    query = select(agency_findings).where(agency_findings.c.agency_id == agency_id)
    if source == "inspection":
        query = query.where(agency_findings.c.source == "inspection")
    else:
        query = query.where(agency_findings.c.kind.is_not(None))
    if after is not None:
        query = query.where(agency_findings.c.finding_id > after)
    rows = await session.execute(query.order_by(agency_findings.c.finding_id).limit(limit + 1))
    return [FindingRecord(**row._mapping) for row in rows]
