"""CCER candidate project use cases (seed plan task 11): add to the city list, move along, read."""

from __future__ import annotations

import uuid

from carbon_registry.db import ccer as repo
from carbon_registry.db.ccer import ProjectRecord
from carbon_registry.domain.ccer import ProjectInput, ProjectStatus, change_status, check_project
from carbon_registry.reference import load_counties, load_project_types
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import NotFound


async def add_project(uow: UnitOfWork, *, candidate: ProjectInput) -> ProjectRecord:
    draft = check_project(candidate=candidate, project_types=load_project_types(), counties=load_counties())
    return await repo.insert_project(uow.session, project_id=str(uuid.uuid4()), draft=draft)


async def get_project(uow: UnitOfWork, *, project_id: str, lock: bool = False) -> ProjectRecord:
    record = await repo.get_project(uow.session, project_id, lock=lock)
    if record is None:
        raise NotFound(f"CCER candidate project {project_id} not found")
    return record


async def move_project(uow: UnitOfWork, *, project_id: str, status: ProjectStatus) -> ProjectRecord:
    record = await get_project(uow, project_id=project_id, lock=True)
    await repo.set_status(uow.session, project_id, change_status(current=record.status, new=status))
    return await get_project(uow, project_id=project_id)


async def list_projects(
    uow: UnitOfWork,
    *,
    project_type: str | None,
    county_code: str | None,
    status: str | None,
    after: str | None,
    limit: int | None,
) -> list[ProjectRecord]:
    return await repo.list_projects(
        uow.session,
        project_type=project_type,
        county_code=county_code,
        status=status,
        after=after,
        limit=limit,
    )
