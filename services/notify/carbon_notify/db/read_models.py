"""Repository of the read models: enterprises and agencies as the registry last described them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_notify.db.tables import agencies, enterprises
from carbon_notify.domain.model import ContactView, EnterpriseView
from carbon_shared.db.engine import is_postgres


def _upsert(session: AsyncSession, table: Any, key: str, columns: Collection[str]) -> Any:
    """A multi-row upsert on `key`; the rows passed must have distinct keys (PostgreSQL refuses to
    update one row twice in a statement)."""
    if is_postgres(session):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    statement = insert(table)
    changes = {name: statement.excluded[name] for name in columns if name != key}
    return statement.on_conflict_do_update(index_elements=[key], set_=changes)


def enterprise_row(
    *, enterprise_id: str, name: str, county_code: str, status: str, contacts: Sequence[dict[str, str | None]]
) -> dict[str, Any]:
    return {
        "enterprise_id": enterprise_id,
        "name": name,
        "county_code": county_code,
        "status": status,
        "contacts": list(contacts),
        "updated_at": dt.datetime.now(dt.UTC),
    }


async def save_enterprises(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(_upsert(session, enterprises, "enterprise_id", rows[0]), list(rows))


async def mark_enterprises_closed(session: AsyncSession, enterprise_ids: Collection[str]) -> None:
    if enterprise_ids:
        await session.execute(
            update(enterprises)
            .where(enterprises.c.enterprise_id.in_(list(enterprise_ids)))
            .values(status="closed", updated_at=dt.datetime.now(dt.UTC))
        )


def view_of(row: Any) -> EnterpriseView:
    contacts = tuple(
        ContactView(name=c.get("name", ""), email=c.get("email"), phone=c.get("phone"))
        for c in row["contacts"]
    )
    return EnterpriseView(row["enterprise_id"], row["name"], row["county_code"], contacts)


async def enterprise_views(
    session: AsyncSession, enterprise_ids: Collection[str]
) -> dict[str, EnterpriseView]:
    """The known enterprises among `enterprise_ids` (one query)."""
    if not enterprise_ids:
        return {}
    query = select(enterprises).where(enterprises.c.enterprise_id.in_(list(enterprise_ids)))
    return {row.enterprise_id: view_of(row._mapping) for row in (await session.execute(query)).all()}


def agency_row(*, agency_id: str, name: str, kind: str) -> dict[str, Any]:
    return {"agency_id": agency_id, "name": name, "kind": kind, "updated_at": dt.datetime.now(dt.UTC)}


async def save_agencies(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(_upsert(session, agencies, "agency_id", rows[0]), list(rows))


async def agency_names(session: AsyncSession, agency_ids: Collection[str]) -> dict[str, str]:
    if not agency_ids:
        return {}
    query = select(agencies.c.agency_id, agencies.c.name).where(agencies.c.agency_id.in_(list(agency_ids)))
    return {row.agency_id: row.name for row in (await session.execute(query)).all()}
