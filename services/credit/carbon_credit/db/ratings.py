"""Queries on subjects, facts and rating history: everything a rating is rebuilt from or written to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_credit.db.tables import facts, rating_history, repairs, service_config, subjects
from carbon_credit.domain.facts import Fact
from carbon_credit.domain.rating_state import ApprovedRepair, EntryKind, HistoryEntry, RatingState
from carbon_credit.domain.rules import Level, SubjectKind
from carbon_shared.db.engine import upsert_ignore

ACTIVE_RULE_VERSION = "active_rule_version"


async def get_subject(session: AsyncSession, subject_id: str, *, lock: bool = False) -> dict[str, Any] | None:
    query = select(subjects).where(subjects.c.subject_id == subject_id)
    row = (await session.execute(query.with_for_update() if lock else query)).mappings().first()
    return dict(row) if row else None


async def insert_subject(session: AsyncSession, row: dict[str, Any]) -> None:
    """Insert unless a concurrent transaction did (the caller locks the row next)."""
    await session.execute(upsert_ignore(session, subjects).values(**row))


async def update_subject(session: AsyncSession, subject_id: str, **values: Any) -> None:
    await session.execute(update(subjects).where(subjects.c.subject_id == subject_id).values(**values))


async def fact_exists(session: AsyncSession, fact_id: str) -> bool:
    return (
        await session.execute(select(facts.c.fact_id).where(facts.c.fact_id == fact_id))
    ).first() is not None


async def insert_fact(session: AsyncSession, fact: Fact, *, recorded_at: dt.datetime) -> None:
    await session.execute(insert(facts).values(**_fact_row(fact), recorded_at=recorded_at))


async def get_fact(session: AsyncSession, fact_id: str) -> Fact | None:
    row = (await session.execute(select(facts).where(facts.c.fact_id == fact_id))).mappings().first()
    return _fact(row) if row else None


async def facts_of(session: AsyncSession, subject_id: str) -> list[Fact]:
    """A subject's facts in the order they were stored (replay keeps the first of any duplicate id)."""
    query = (
        select(facts).where(facts.c.subject_id == subject_id).order_by(facts.c.recorded_at, facts.c.fact_id)
    )
    return [_fact(row) for row in (await session.execute(query)).mappings()]


async def approved_repairs_of(session: AsyncSession, subject_id: str) -> list[ApprovedRepair]:
    query = (
        select(repairs)
        .where(repairs.c.subject_id == subject_id, repairs.c.status == "approved")
        .order_by(repairs.c.decided_at, repairs.c.repair_id)
    )
    return [_approved(row) for row in (await session.execute(query)).mappings()]


async def all_facts(session: AsyncSession) -> list[Fact]:
    query = select(facts).order_by(facts.c.recorded_at, facts.c.fact_id)
    return [_fact(row) for row in (await session.execute(query)).mappings()]


async def all_approved_repairs(session: AsyncSession) -> list[ApprovedRepair]:
    query = select(repairs).where(repairs.c.status == "approved").order_by(repairs.c.decided_at)
    return [_approved(row) for row in (await session.execute(query)).mappings()]


async def all_subjects(session: AsyncSession, *, lock: bool = False) -> list[dict[str, Any]]:
    query = select(subjects).order_by(subjects.c.subject_id)
    return [
        dict(row) for row in (await session.execute(query.with_for_update() if lock else query)).mappings()
    ]


async def history_of(session: AsyncSession, subject_id: str) -> list[HistoryEntry]:
    query = (
        select(rating_history).where(rating_history.c.subject_id == subject_id).order_by(rating_history.c.seq)
    )
    return [_entry(row) for row in (await session.execute(query)).mappings()]


async def all_histories(session: AsyncSession) -> dict[str, list[HistoryEntry]]:
    query = select(rating_history).order_by(rating_history.c.subject_id, rating_history.c.seq)
    histories: dict[str, list[HistoryEntry]] = {}
    for row in (await session.execute(query)).mappings():
        histories.setdefault(row["subject_id"], []).append(_entry(row))
    return histories


async def replace_history(
    session: AsyncSession, subject_id: str, *, start: int, entries: Sequence[HistoryEntry]
) -> None:
    """Keep lines before `start`, replace the rest with `entries` (appending when nothing follows)."""
    await session.execute(
        delete(rating_history).where(rating_history.c.subject_id == subject_id, rating_history.c.seq >= start)
    )
    rows = [_entry_row(subject_id, start + offset, entry) for offset, entry in enumerate(entries)]
    if rows:
        await session.execute(insert(rating_history), rows)


async def count_facts(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(facts))).scalar_one())


async def subjects_due_for_expiry(session: AsyncSession, *, as_of: dt.datetime, limit: int) -> list[str]:
    query = (
        select(subjects.c.subject_id)
        .where(subjects.c.next_expiry_at <= as_of)
        .order_by(subjects.c.next_expiry_at)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def config_value(session: AsyncSession, key: str) -> str | None:
    query = select(service_config.c.value).where(service_config.c.key == key)
    return (await session.execute(query)).scalar_one_or_none()


async def set_config_value(session: AsyncSession, key: str, value: str) -> None:
    await session.execute(delete(service_config).where(service_config.c.key == key))
    await session.execute(insert(service_config).values(key=key, value=value))


def rating_columns(state: RatingState) -> dict[str, Any]:
    """The `subjects` columns that mirror a rating state."""
    expiries = [counting.expires_at for counting in state.counting]
    return {
        "level": state.level.value,
        "points": state.points,
        "rule_version": state.rule_version,
        "observed_until": state.observed_until,
        "next_expiry_at": min(expiries, default=None),
    }


def _fact_row(fact: Fact) -> dict[str, Any]:
    return {
        "fact_id": fact.fact_id,
        "subject_id": fact.subject_id,
        "subject_kind": fact.subject_kind.value,
        "cause": fact.cause,
        "occurred_at": fact.occurred_at,
        "details": [list(pair) for pair in fact.details],
    }


def _fact(row: Any) -> Fact:
    return Fact(
        fact_id=row["fact_id"],
        cause=row["cause"],
        occurred_at=row["occurred_at"],
        subject_id=row["subject_id"],
        subject_kind=SubjectKind(row["subject_kind"]),
        details=tuple((str(name), str(value)) for name, value in row["details"]),
    )


def _approved(row: Any) -> ApprovedRepair:
    return ApprovedRepair(
        repair_id=row["repair_id"],
        subject_id=row["subject_id"],
        fact_id=row["fact_id"],
        effective_from=row["effective_from"],
        decided_at=row["decided_at"],
    )


def _entry(row: Any) -> HistoryEntry:
    return HistoryEntry(
        at=row["at"],
        kind=EntryKind(row["kind"]),
        cause_event_id=row["cause_event_id"],
        cause=row["cause"],
        fact_id=row["fact_id"],
        level_before=Level(row["level_before"]),
        level_after=Level(row["level_after"]),
        points_before=row["points_before"],
        points=row["points"],
        rule_version=row["rule_version"],
    )


def _entry_row(subject_id: str, seq: int, entry: HistoryEntry) -> dict[str, Any]:
    return {
        "subject_id": subject_id,
        "seq": seq,
        "at": entry.at,
        "kind": entry.kind.value,
        "cause_event_id": entry.cause_event_id,
        "cause": entry.cause,
        "fact_id": entry.fact_id,
        "level_before": entry.level_before.value,
        "level_after": entry.level_after.value,
        "points_before": entry.points_before,
        "points": entry.points,
        "rule_version": entry.rule_version,
    }


def history_rows(subject_id: str, entries: Iterable[HistoryEntry]) -> list[dict[str, Any]]:
    return [_entry_row(subject_id, seq, entry) for seq, entry in enumerate(entries)]
