"""Repository of the read models: enterprises and agencies as the registry last described them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_notify.db.tables import agencies, enterprises
from carbon_notify.domain.model import ContactView, EnterpriseView
from carbon_shared.db.engine import is_postgres


def _upsert(session: AsyncSession, table: Any, key: str, row: dict[str, Any]) -> Any:
    if is_postgres(session):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    statement = insert(table).values(row)
    changes = {name: statement.excluded[name] for name in row if name != key}
    return statement.on_conflict_do_update(index_elements=[key], set_=changes)


async def save_enterprise(
    session: AsyncSession,
    *,
    enterprise_id: str,
    name: str,
    county_code: str,
    status: str,
    contacts: Sequence[dict[str, str | None]],
) -> None:
    row = {
        "enterprise_id": enterprise_id,
        "name": name,
        "county_code": county_code,
        "status": status,
        "contacts": list(contacts),
        "updated_at": dt.datetime.now(dt.UTC),
    }
    await session.execute(_upsert(session, enterprises, "enterprise_id", row))


async def mark_enterprise_closed(session: AsyncSession, enterprise_id: str) -> None:
    await session.execute(
        update(enterprises)
        .where(enterprises.c.enterprise_id == enterprise_id)
        .values(status="closed", updated_at=dt.datetime.now(dt.UTC))
    )


async def enterprise_view(session: AsyncSession, enterprise_id: str) -> EnterpriseView | None:
    row = (
        await session.execute(select(enterprises).where(enterprises.c.enterprise_id == enterprise_id))
    ).first()
    if row is None:
        return None
    contacts = tuple(
        ContactView(name=c.get("name", ""), email=c.get("email"), phone=c.get("phone")) for c in row.contacts
    )
    return EnterpriseView(row.enterprise_id, row.name, row.county_code, contacts)


async def save_agency(session: AsyncSession, *, agency_id: str, name: str, kind: str) -> None:
    row = {"agency_id": agency_id, "name": name, "kind": kind, "updated_at": dt.datetime.now(dt.UTC)}
    await session.execute(_upsert(session, agencies, "agency_id", row))


async def agency_name(session: AsyncSession, agency_id: str) -> str | None:
    return await session.scalar(select(agencies.c.name).where(agencies.c.agency_id == agency_id))
