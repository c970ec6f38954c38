"""Queries on the city's CCER candidate projects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from carbon_registry.db.decimals import plain
from carbon_registry.db.tables import ccer_projects
from carbon_registry.domain.ccer import ProjectDraft, ProjectStatus


@dataclass(frozen=True)
class ProjectRecord:
    project_id: str
    name: str
    project_type: str
    county_code: str
    owner: str
    owner_enterprise_id: str | None
    estimated_annual_reduction_tco2e: Decimal
    status: ProjectStatus
    description: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


def _project(row: Any) -> ProjectRecord:
    values = dict(row._mapping)
    reduction = plain(values["estimated_annual_reduction_tco2e"])
    return ProjectRecord(
        **(
            values
            | {"status": ProjectStatus(values["status"]), "estimated_annual_reduction_tco2e": reduction}
        )
    )


async def insert_project(session: AsyncSession, *, project_id: str, draft: ProjectDraft) -> ProjectRecord:
    now = dt.datetime.now(dt.UTC)
    record = ProjectRecord(
        project_id=project_id,
        status=ProjectStatus.CANDIDATE,
        created_at=now,
        updated_at=now,
        **draft.__dict__,
    )
    await session.execute(insert(ccer_projects).values(**(record.__dict__ | {"status": record.status.value})))
    return record


async def get_project(session: AsyncSession, project_id: str, *, lock: bool = False) -> ProjectRecord | None:
    query = select(ccer_projects).where(ccer_projects.c.project_id == project_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    return _project(row) if row else None


async def set_status(session: AsyncSession, project_id: str, status: ProjectStatus) -> None:
    await session.execute(
        update(ccer_projects)
        .where(ccer_projects.c.project_id == project_id)
        .values(status=status.value, updated_at=dt.datetime.now(dt.UTC))
    )


async def list_projects(
    session: AsyncSession,
    *,
    project_type: str | None,
    county_code: str | None,
    status: str | None,
    after: str | None,
    limit: int | None,
) -> list[ProjectRecord]:
    query = select(ccer_projects)
    for column, value in (
        (ccer_projects.c.project_type, project_type),
        (ccer_projects.c.county_code, county_code),
        (ccer_projects.c.status, status),
    ):
        if value is not None:
            query = query.where(column == value)
    if after is not None:
        query = query.where(ccer_projects.c.project_id > after)
    query = query.order_by(ccer_projects.c.project_id)
    rows = await session.execute(query if limit is None else query.limit(limit + 1))
    return [_project(row) for row in rows]
