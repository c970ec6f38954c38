"""Queries on the key-emitter directory: verified emissions, published statuses, manual actions, changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_registry.db.decimals import plain, plain_or_none
from carbon_registry.db.tables import (
    directory_actions,
    directory_changes,
    directory_status,
    enterprises,
    verified_emissions,
)
from carbon_registry.domain.directory_model import (
    BasisYear,
    DelistingRule,
    ListingRule,
    ManualAction,
    ManualActionKind,
    VerifiedEmission,
    YearStatus,
)
from carbon_shared.db.engine import upsert_ignore


@dataclass(frozen=True)
class DirectoryEntry:
    """One unit listed for a year, as the public directory shows it."""

    enterprise_id: str
    enterprise_name: str
    uscc: str
    sector: str
    county_code: str
    year: int
    rule: str
    basis_year: int | None
    basis_emissions_tco2e: Decimal | None
    reason: str | None


@dataclass(frozen=True)
class DirectoryChange:
    change_id: int
    enterprise_id: str
    year: int
    change: str
    rule: str
    basis: list[dict[str, Any]]
    reason: str | None
    at: dt.datetime


async def record_verified(
    session: AsyncSession,
    *,
    enterprise_id: str,
    record: VerifiedEmission,
    report_id: str,
    verified_on: dt.date,
) -> None:
    """Keep one revision of a verified year; the same revision delivered again is ignored."""
    values = {
        "enterprise_id": enterprise_id,
        "year": record.year,
        "revision": record.revision,
        "emissions_tco2e": record.emissions_tco2e,
        "report_id": report_id,
        "verified_on": verified_on,
        "recorded_at": dt.datetime.now(dt.UTC),
    }
    await session.execute(upsert_ignore(session, verified_emissions).values(**values))


async def verified_history(session: AsyncSession, enterprise_id: str) -> list[VerifiedEmission]:
    query = select(verified_emissions).where(verified_emissions.c.enterprise_id == enterprise_id)
    rows = await session.execute(query.order_by(verified_emissions.c.year, verified_emissions.c.revision))
    return [VerifiedEmission(row.year, row.revision, plain(row.emissions_tco2e)) for row in rows]


async def manual_actions(session: AsyncSession, enterprise_id: str) -> list[ManualAction]:
    query = select(directory_actions).where(directory_actions.c.enterprise_id == enterprise_id)
    rows = await session.execute(query.order_by(directory_actions.c.id))
    return [ManualAction(row.year, ManualActionKind(row.kind), row.reason) for row in rows]


async def add_manual_action(
    session: AsyncSession, *, enterprise_id: str, action: ManualAction, actor: str
) -> None:
    values = {
        "enterprise_id": enterprise_id,
        "year": action.year,
        "kind": action.kind.value,
        "reason": action.reason,
        "actor": actor,
        "at": dt.datetime.now(dt.UTC),
    }
    await session.execute(insert(directory_actions).values(**values))


def _basis_json(basis: Sequence[BasisYear]) -> list[dict[str, Any]]:
    return [{"year": b.year, "emissions_tco2e": str(b.emissions_tco2e)} for b in basis]


def _status(row: Any) -> YearStatus:
    return YearStatus(
        year=row.year,
        listed=row.listed,
        listing_rule=ListingRule(row.listing_rule) if row.listing_rule else None,
        exit_rule=DelistingRule(row.exit_rule) if row.exit_rule else None,
        basis=tuple(BasisYear(b["year"], Decimal(b["emissions_tco2e"])) for b in row.basis),
        reason=row.reason,
    )


async def published_statuses(session: AsyncSession, enterprise_id: str) -> dict[int, YearStatus]:
    query = select(directory_status).where(directory_status.c.enterprise_id == enterprise_id)
    return {row.year: _status(row) for row in await session.execute(query)}


async def replace_statuses(
    session: AsyncSession, *, enterprise_id: str, timeline: Sequence[YearStatus]
) -> None:
    """Store the evaluated timeline as the published one (a handful of rows per unit)."""
    await session.execute(delete(directory_status).where(directory_status.c.enterprise_id == enterprise_id))
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "enterprise_id": enterprise_id,
            "year": status.year,
            "listed": status.listed,
            "listing_rule": status.listing_rule.value if status.listing_rule else None,
            "exit_rule": status.exit_rule.value if status.exit_rule else None,
            "basis": _basis_json(status.basis),
            "basis_year": status.basis[0].year if status.listed and status.basis else None,
            "basis_emissions_tco2e": status.basis[0].emissions_tco2e
            if status.listed and status.basis
            else None,
            "reason": status.reason,
            "decided_at": now,
        }
        for status in timeline
    ]
    if rows:
        await session.execute(insert(directory_status), rows)


async def add_change(
    session: AsyncSession,
    *,
    enterprise_id: str,
    year: int,
    change: str,
    rule: str,
    basis: Sequence[BasisYear],
    reason: str | None,
) -> None:
    values = {
        "enterprise_id": enterprise_id,
        "year": year,
        "change": change,
        "rule": rule,
        "basis": _basis_json(basis),
        "reason": reason,
        "at": dt.datetime.now(dt.UTC),
    }
    await session.execute(insert(directory_changes).values(**values))


async def list_changes(
    session: AsyncSession, enterprise_id: str, *, after: int | None, limit: int
) -> list[DirectoryChange]:
    query = select(directory_changes).where(directory_changes.c.enterprise_id == enterprise_id)
    if after is not None:
        query = query.where(directory_changes.c.id > after)
    rows = await session.execute(query.order_by(directory_changes.c.id).limit(limit + 1))
    return [
        DirectoryChange(
            row.id, row.enterprise_id, row.year, row.change, row.rule, row.basis, row.reason, row.at
        )
        for row in rows
    ]


async def list_directory(
    session: AsyncSession, *, year: int, after: str | None, limit: int | None
) -> list[DirectoryEntry]:
    """Units listed for `year` in enterprise-id order (`limit + 1` rows; None: all, for the export)."""
    query = (
        select(
            directory_status,
            enterprises.c.name,
            enterprises.c.uscc,
            enterprises.c.sector,
            enterprises.c.county_code,
        )
        .join(enterprises, enterprises.c.enterprise_id == directory_status.c.enterprise_id)
        .where(directory_status.c.year == year, directory_status.c.listed.is_(True))
    )
    if after is not None:
        query = query.where(directory_status.c.enterprise_id > after)
    query = query.order_by(directory_status.c.enterprise_id)
    rows = await session.execute(query if limit is None else query.limit(limit + 1))
    return [
        DirectoryEntry(
            enterprise_id=row.enterprise_id,
            enterprise_name=row.name,
            uscc=row.uscc,
            sector=row.sector,
            county_code=row.county_code,
            year=row.year,
            rule=row.listing_rule,
            basis_year=row.basis_year,
            basis_emissions_tco2e=plain_or_none(row.basis_emissions_tco2e),
            reason=row.reason,
        )
        for row in rows
    ]
