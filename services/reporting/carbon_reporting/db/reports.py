"""Queries on annual reports, their transition history and their flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_reporting.db.tables import (
    agencies,
    emitter_listings,
    enterprises,
    report_flags,
    report_transitions,
    reports,
)
from carbon_reporting.domain.lifecycle import Report, ReportStatus, TransitionRecord
from carbon_reporting.domain.policy import Action, Role

# A report counts as filed for the deadline check once it has left the enterprise's hands.
_NOT_FILED = (ReportStatus.DRAFT.value, ReportStatus.WITHDRAWN.value)


@dataclass(frozen=True)
class StoredReport:
    """A report row: the domain state plus what the service keeps around it."""

    report: Report
    calculated_emissions_tco2e: Decimal
    verified_on: dt.date | None
    activity: dict[str, Any]
    breakdown: dict[str, Any]
    falsification_suspected: bool
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def id(self) -> str:
        return self.report.report_id


@dataclass(frozen=True)
class ReportFilter:
    year: int | None = None
    enterprise_id: str | None = None
    assigned_agency_id: str | None = None
    status: str | None = None
    verified_only: bool = False


@dataclass(frozen=True)
class StoredTransition:
    id: int
    record: TransitionRecord
    agency_id: str | None
    verified_emissions_tco2e: Decimal | None


@dataclass(frozen=True)
class StoredFlag:
    id: int
    report_id: str
    kind: str
    check: str
    detail: str
    flagged_by: str
    at: dt.datetime


def _stored(row: Any) -> StoredReport:
    report = Report(
        report_id=row.id,
        enterprise_id=row.enterprise_id,
        year=row.year,
        status=ReportStatus(row.status),
        revision=row.revision,
        assigned_agency_id=row.assigned_agency_id,
        prepared_by_agency_id=row.prepared_by_agency_id,
        verified_emissions_tco2e=row.verified_emissions_tco2e,
    )
    return StoredReport(
        report=report,
        calculated_emissions_tco2e=row.calculated_emissions_tco2e,
        verified_on=row.verified_on,
        activity=row.activity,
        breakdown=row.breakdown,
        falsification_suspected=row.falsification_suspected,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def insert_report(session: AsyncSession, **values: Any) -> StoredReport:
    """Insert a report row and return it as stored, without reading it back."""
    await session.execute(insert(reports).values(**values))
    return _stored(SimpleRow({"verified_emissions_tco2e": None, "assigned_agency_id": None, **values}))


class SimpleRow:
    """Attribute access over a dict, so `_stored` reads values just written like a fetched row."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.__dict__.update(values)


def _live_report(enterprise_id: Any, year: Any) -> Any:
    return (
        select(reports.c.id)
        .where(
            reports.c.enterprise_id == enterprise_id,
            reports.c.year == year,
            reports.c.status != ReportStatus.WITHDRAWN.value,
        )
        .limit(1)
        .scalar_subquery()
    )


async def live_report_id(session: AsyncSession, *, enterprise_id: str, year: int) -> str | None:
    return (await session.execute(select(_live_report(enterprise_id, year)))).scalar_one_or_none()


@dataclass(frozen=True)
class CreationContext:
    enterprise_known: bool
    live_report_id: str | None


async def creation_context(session: AsyncSession, *, enterprise_id: str, year: int) -> CreationContext:
    """Whether the enterprise is known and which live report holds (enterprise, year): one statement."""
    known = select(enterprises.c.enterprise_id).where(enterprises.c.enterprise_id == enterprise_id).exists()
    row = (await session.execute(select(known, _live_report(enterprise_id, year)))).one()
    return CreationContext(enterprise_known=bool(row[0]), live_report_id=row[1])


async def get_report(
    session: AsyncSession, report_id: str, *, for_update: bool = False
) -> StoredReport | None:
    query = select(reports).where(reports.c.id == report_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return None if row is None else _stored(row)


async def lock_report(
    session: AsyncSession, report_id: str, *, context: Mapping[str, ColumnElement[Any]] | None = None
) -> tuple[StoredReport, Mapping[str, Any]] | None:
    """Lock the report row and read it with `context` (scalar subqueries) in the same statement.

    `FOR UPDATE OF reports`: only the report row is locked, never what the subqueries read.
    """
    extra = dict(context or {})
    query = (
        select(reports, *(column.label(f"ctx_{name}") for name, column in extra.items()))
        .where(reports.c.id == report_id)
        .with_for_update(of=reports)
    )
    row = (await session.execute(query)).first()
    if row is None:
        return None
    return _stored(row), {name: getattr(row, f"ctx_{name}") for name in extra}


def agency_columns(agency_id: Any) -> dict[str, ColumnElement[Any]]:
    """The agency's kind and ban as lock-time context (`agency_kind` None: the agency is unknown)."""
    where = agencies.c.agency_id == agency_id
    return {
        "agency_kind": select(agencies.c.kind).where(where).scalar_subquery(),
        "agency_banned_until": select(agencies.c.banned_until).where(where).scalar_subquery(),
    }


def assigned_agency_columns() -> dict[str, ColumnElement[Any]]:
    return agency_columns(reports.c.assigned_agency_id)


def submission_columns() -> dict[str, ColumnElement[Any]]:
    """What the data-quality checks need besides the report: last year's verified figure, the listing."""
    last_year = reports.alias("last_year")
    previous = (
        select(last_year.c.verified_emissions_tco2e)
        .where(
            last_year.c.enterprise_id == reports.c.enterprise_id,
            last_year.c.year == reports.c.year - 1,
            last_year.c.verified_emissions_tco2e.is_not(None),
        )
        .order_by(last_year.c.updated_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    listed = (
        select(emitter_listings.c.listed)
        .where(
            emitter_listings.c.enterprise_id == reports.c.enterprise_id,
            emitter_listings.c.year == reports.c.year,
        )
        .scalar_subquery()
    )
    return {"previous_verified_tco2e": previous, "listed": listed}


async def save_state(
    session: AsyncSession, stored: StoredReport, report: Report, *, at: dt.datetime, **extra: Any
) -> StoredReport:
    """Write the domain state of `report` (and any extra columns) onto the row `stored` was read from.

    Returns the row as now stored, built from what was written instead of reading it back; `extra` names
    columns that are also fields of `StoredReport`.
    """
    await session.execute(
        update(reports)
        .where(reports.c.id == report.report_id)
        .values(
            status=report.status.value,
            revision=report.revision,
            assigned_agency_id=report.assigned_agency_id,
            verified_emissions_tco2e=report.verified_emissions_tco2e,
            updated_at=at,
            **extra,
        )
    )
    return replace(stored, report=report, updated_at=at, **extra)


def _filtered(query: Select[Any], criteria: ReportFilter) -> Select[Any]:
    if criteria.year is not None:
        query = query.where(reports.c.year == criteria.year)
    if criteria.enterprise_id is not None:
        query = query.where(reports.c.enterprise_id == criteria.enterprise_id)
    if criteria.assigned_agency_id is not None:
        query = query.where(reports.c.assigned_agency_id == criteria.assigned_agency_id)
    if criteria.status is not None:
        query = query.where(reports.c.status == criteria.status)
    if criteria.verified_only:
        query = query.where(reports.c.verified_emissions_tco2e.is_not(None))
    return query


async def list_reports(
    session: AsyncSession, criteria: ReportFilter, *, after_id: str | None, limit: int | None
) -> list[StoredReport]:
    """Reports matching `criteria` in id order after `after_id`; `limit` None fetches all (exports)."""
    query = _filtered(select(reports), criteria).order_by(reports.c.id)
    if after_id is not None:
        query = query.where(reports.c.id > after_id)
    if limit is not None:
        query = query.limit(limit)
    return [_stored(row) for row in await session.execute(query)]


async def verified_emissions(session: AsyncSession, *, enterprise_id: str, year: int) -> Decimal | None:
    """The latest verified emissions of (enterprise, year), whatever the report's current status."""
    return (
        await session.execute(
            select(reports.c.verified_emissions_tco2e)
            .where(
                reports.c.enterprise_id == enterprise_id,
                reports.c.year == year,
                reports.c.verified_emissions_tco2e.is_not(None),
            )
            .order_by(reports.c.updated_at.desc())
            .limit(1)
        )
    ).scalar_one_or_none()


async def filed_report_years(session: AsyncSession, enterprise_ids: set[str]) -> dict[str, set[int]]:
    if not enterprise_ids:
        return {}
    rows = await session.execute(
        select(reports.c.enterprise_id, reports.c.year).where(
            reports.c.enterprise_id.in_(enterprise_ids), reports.c.status.not_in(_NOT_FILED)
        )
    )
    years: dict[str, set[int]] = {}
    for row in rows:
        years.setdefault(row.enterprise_id, set()).add(row.year)
    return years


async def append_transition(
    session: AsyncSession,
    record: TransitionRecord,
    *,
    agency_id: str | None = None,
    verified_emissions_tco2e: Decimal | None = None,
) -> None:
    await session.execute(
        insert(report_transitions).values(
            report_id=record.report_id,
            action=record.action.value,
            from_status=record.from_status.value,
            to_status=record.to_status.value,
            actor_subject=record.actor_subject,
            actor_role=record.actor_role.value,
            agency_id=agency_id,
            verified_emissions_tco2e=verified_emissions_tco2e,
            revision=record.revision,
            opinion=record.opinion,
            at=record.at,
        )
    )


async def list_transitions(
    session: AsyncSession, report_id: str, *, after_id: int | None, limit: int
) -> list[StoredTransition]:
    query = select(report_transitions).where(report_transitions.c.report_id == report_id)
    if after_id is not None:
        query = query.where(report_transitions.c.id > after_id)
    rows = await session.execute(query.order_by(report_transitions.c.id).limit(limit))
    return [
        StoredTransition(
            id=row.id,
            record=TransitionRecord(
                report_id=row.report_id,
                action=Action(row.action),
                from_status=ReportStatus(row.from_status),
                to_status=ReportStatus(row.to_status),
                actor_subject=row.actor_subject,
                actor_role=Role(row.actor_role),
                at=row.at,
                opinion=row.opinion,
                revision=row.revision,
            ),
            agency_id=row.agency_id,
            verified_emissions_tco2e=row.verified_emissions_tco2e,
        )
        for row in rows
    ]


async def insert_flags(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """All flags in one multi-row INSERT (one statement, not one per flag)."""
    if rows:
        await session.execute(insert(report_flags).values(list(rows)))


async def list_flags(
    session: AsyncSession, report_id: str, *, after_id: int | None, limit: int
) -> list[StoredFlag]:
    query = select(report_flags).where(report_flags.c.report_id == report_id)
    if after_id is not None:
        query = query.where(report_flags.c.id > after_id)
    rows = await session.execute(query.order_by(report_flags.c.id).limit(limit))
    return [
        StoredFlag(row.id, row.report_id, row.kind, row.check_code, row.detail, row.flagged_by, row.at)
        for row in rows
    ]
