"""Queries on the two workflows: credit repair applications and public complaints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, and_, case, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_credit.db.tables import complaints, overdue_obligations, repairs, subjects
from carbon_credit.domain.complaints import Complaint, ComplaintStatus
from carbon_credit.domain.facts import OpenOverdue
from carbon_credit.domain.repair import RepairApplication, RepairStatus
from carbon_credit.domain.rules import SubjectKind
from carbon_shared.db.engine import upsert_ignore

# -- repairs ---------------------------------------------------------------------------------------


async def insert_repair(session: AsyncSession, application: RepairApplication, *, filed_by: str) -> None:
    await session.execute(insert(repairs).values(**_repair_row(application), filed_by=filed_by))


async def get_repair(
    session: AsyncSession, repair_id: str, *, lock: bool = False
) -> RepairApplication | None:
    query = select(repairs).where(repairs.c.repair_id == repair_id)
    row = (await session.execute(query.with_for_update() if lock else query)).mappings().first()
    return _repair(row) if row else None


async def save_repair_decision(
    session: AsyncSession, application: RepairApplication, *, decided_by: str
) -> None:
    values = _repair_row(application)
    await session.execute(
        update(repairs)
        .where(repairs.c.repair_id == application.repair_id)
        .values(**values, decided_by=decided_by)
    )


async def pending_repair_for(session: AsyncSession, fact_id: str) -> str | None:
    query = select(repairs.c.repair_id).where(repairs.c.fact_id == fact_id, repairs.c.status == "pending")
    return (await session.execute(query)).scalars().first()


async def list_repairs(
    session: AsyncSession, *, subject_id: str | None, status: str | None, after: list[Any] | None, limit: int
) -> list[RepairApplication]:
    query = select(repairs)
    if subject_id is not None:
        query = query.where(repairs.c.subject_id == subject_id)
    if status is not None:
        query = query.where(repairs.c.status == status)
    query = _after(query, repairs.c.filed_at, repairs.c.repair_id, _timed(after))
    rows = await session.execute(query.order_by(repairs.c.filed_at, repairs.c.repair_id).limit(limit + 1))
    return [_repair(row) for row in rows.mappings()]


def _repair_row(application: RepairApplication) -> dict[str, Any]:
    return {
        "repair_id": application.repair_id,
        "subject_id": application.subject_id,
        "fact_id": application.fact_id,
        "status": application.status.value,
        "statement": application.statement,
        "filed_at": application.filed_at,
        "decided_at": application.decided_at,
        "effective_from": application.effective_from,
        "rejection_reason": application.rejection_reason,
    }


def _repair(row: Any) -> RepairApplication:
    return RepairApplication(
        repair_id=row["repair_id"],
        subject_id=row["subject_id"],
        fact_id=row["fact_id"],
        filed_at=row["filed_at"],
        statement=row["statement"],
        status=RepairStatus(row["status"]),
        decided_at=row["decided_at"],
        effective_from=row["effective_from"],
        rejection_reason=row["rejection_reason"],
    )


# -- complaints ------------------------------------------------------------------------------------


async def insert_complaint(
    session: AsyncSession, complaint: Complaint, *, contact: str | None, client_key: str
) -> None:
    await session.execute(
        insert(complaints).values(**_complaint_row(complaint), contact=contact, client_key=client_key)
    )


async def complaints_filed_since(session: AsyncSession, *, client_key: str, since: dt.datetime) -> int:
    query = select(func.count()).where(complaints.c.client_key == client_key, complaints.c.filed_at >= since)
    return int((await session.execute(query)).scalar_one())


async def get_complaint(session: AsyncSession, complaint_id: str, *, lock: bool = False) -> Complaint | None:
    query = select(complaints).where(complaints.c.complaint_id == complaint_id)
    row = (await session.execute(query.with_for_update() if lock else query)).mappings().first()
    return _complaint(row) if row else None


async def save_complaint(session: AsyncSession, complaint: Complaint, *, fact_id: str | None = None) -> None:
    values = _complaint_row(complaint)
    if fact_id is not None:
        values["fact_id"] = fact_id
    await session.execute(
        update(complaints).where(complaints.c.complaint_id == complaint.complaint_id).values(**values)
    )


async def list_complaints(
    session: AsyncSession, *, status: str | None, after: list[Any] | None, limit: int
) -> list[Complaint]:
    query = select(complaints)
    if status is not None:
        query = query.where(complaints.c.status == status)
    query = _after(query, complaints.c.filed_at, complaints.c.complaint_id, _timed(after))
    rows = await session.execute(
        query.order_by(complaints.c.filed_at, complaints.c.complaint_id).limit(limit + 1)
    )
    return [_complaint(row) for row in rows.mappings()]


def _complaint_row(complaint: Complaint) -> dict[str, Any]:
    return {
        "complaint_id": complaint.complaint_id,
        "subject_id": complaint.subject_id,
        "subject_kind": complaint.subject_kind.value,
        "description": complaint.description,
        "status": complaint.status.value,
        "filed_at": complaint.filed_at,
        "triaged_at": complaint.triaged_at,
        "rejection_reason": complaint.rejection_reason,
        "concluded_at": complaint.concluded_at,
        "finding": complaint.finding,
    }


def _complaint(row: Any) -> Complaint:
    return Complaint(
        complaint_id=row["complaint_id"],
        subject_id=row["subject_id"],
        subject_kind=SubjectKind(row["subject_kind"]),
        description=row["description"],
        filed_at=row["filed_at"],
        status=ComplaintStatus(row["status"]),
        triaged_at=row["triaged_at"],
        rejection_reason=row["rejection_reason"],
        concluded_at=row["concluded_at"],
        finding=row["finding"],
    )


# -- overdue obligations (for the refusal-to-surrender check) --------------------------------------


async def record_overdue(session: AsyncSession, overdue: OpenOverdue) -> None:
    row = {
        "overdue_event_id": overdue.overdue_event_id,
        "enterprise_id": overdue.enterprise_id,
        "year": overdue.year,
        "due_date": overdue.due_date,
        "fulfilled_at": None,
        "refusal_fact_id": None,
    }
    await session.execute(upsert_ignore(session, overdue_obligations).values(**row))


async def mark_overdue_fulfilled(
    session: AsyncSession, *, enterprise_id: str, year: int, fulfilled_at: dt.datetime
) -> None:
    table = overdue_obligations
    await session.execute(
        update(table)
        .where(table.c.enterprise_id == enterprise_id, table.c.year == year, table.c.fulfilled_at.is_(None))
        .values(fulfilled_at=fulfilled_at)
    )


async def unresolved_overdues(session: AsyncSession, *, due_before: dt.date, limit: int) -> list[OpenOverdue]:
    """Overdue obligations neither fulfilled nor yet judged refused, due on or before `due_before`."""
    table = overdue_obligations
    query = (
        select(table)
        .where(
            table.c.fulfilled_at.is_(None), table.c.refusal_fact_id.is_(None), table.c.due_date <= due_before
        )
        .order_by(table.c.due_date, table.c.overdue_event_id)
        .limit(limit)
    )
    return [
        OpenOverdue(
            overdue_event_id=row["overdue_event_id"],
            enterprise_id=row["enterprise_id"],
            year=row["year"],
            due_date=row["due_date"],
        )
        for row in (await session.execute(query)).mappings()
    ]


async def mark_refused(session: AsyncSession, *, overdue_event_id: str, fact_id: str) -> None:
    table = overdue_obligations
    await session.execute(
        update(table).where(table.c.overdue_event_id == overdue_event_id).values(refusal_fact_id=fact_id)
    )


# -- public disclosure -----------------------------------------------------------------------------


async def list_disclosed(
    session: AsyncSession, *, levels: list[str], kind: str | None, after: list[Any] | None, limit: int | None
) -> list[dict[str, Any]]:
    """Subjects at the disclosed levels, worst first, then by id."""
    severity = case((subjects.c.level == "red", 0), else_=1)
    query = select(subjects, severity.label("rank")).where(subjects.c.level.in_(levels))
    if kind is not None:
        query = query.where(subjects.c.subject_kind == kind)
    query = _after(query, severity, subjects.c.subject_id, after)
    query = query.order_by(severity, subjects.c.subject_id)
    if limit is not None:
        query = query.limit(limit + 1)
    return [dict(row) for row in (await session.execute(query)).mappings()]


def _after(query: Select[Any], first: Any, second: Any, after: list[Any] | None) -> Select[Any]:
    """Keyset condition `(first, second) > after`, spelled out to read the same on SQLite and PostgreSQL."""
    if after is None:
        return query
    return query.where(or_(first > after[0], and_(first == after[0], second > after[1])))


def _timed(after: list[Any] | None) -> list[Any] | None:
    """A (timestamp, id) cursor as decoded from JSON: the timestamp back to an aware datetime."""
    return None if after is None else [dt.datetime.fromisoformat(str(after[0])), str(after[1])]
