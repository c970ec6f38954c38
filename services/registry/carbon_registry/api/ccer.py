"""CCER candidate projects (seed plan task 11): the city list, its status flow, export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from carbon_registry.api.paging import text_cursor
from carbon_registry.api.schemas import CcerProjectIn, CcerProjectOut, CcerStatusIn, ProjectStatusName
from carbon_registry.db.ccer import ProjectRecord
from carbon_registry.domain.ccer import ProjectInput, ProjectStatus
from carbon_registry.service import ccer
from carbon_shared.app import UoW
from carbon_shared.auth import Caller, Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page, page_of
from carbon_shared.spreadsheets import FILE_RESPONSES, ExportFormat, file_response

router = APIRouter(tags=["CCER candidate projects"])
Regulator = Annotated[Principal, require_roles("regulator")]

EXPORT_COLUMNS = (
    "id", "name", "project_type", "county_code", "owner", "owner_enterprise_id",
    "estimated_annual_reduction_tco2e", "status", "description",
)  # fmt: skip


def project_out(record: ProjectRecord) -> CcerProjectOut:
    return CcerProjectOut(
        id=record.project_id,
        name=record.name,
        project_type=record.project_type,
        county_code=record.county_code,
        owner=record.owner,
        owner_enterprise_id=record.owner_enterprise_id,
        estimated_annual_reduction_tco2e=record.estimated_annual_reduction_tco2e,
        status=record.status.value,
        description=record.description,
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


@router.post("/v1/ccer-projects", status_code=201, response_model=CcerProjectOut)
async def add_project(body: CcerProjectIn, uow: UoW, who: Regulator) -> CcerProjectOut:
    """Add a candidate project to the city list (regulator); it starts as `candidate`."""
    async with uow:
        record = await ccer.add_project(uow, candidate=ProjectInput(**body.model_dump()))
        await uow.commit()
    return project_out(record)


async def _list(
    uow: UoW,
    project_type: str | None,
    county_code: str | None,
    status: str | None,
    after: str | None,
    limit: int | None,
) -> list[ProjectRecord]:
    async with uow:
        return await ccer.list_projects(
            uow, project_type=project_type, county_code=county_code, status=status, after=after, limit=limit
        )


@router.get("/v1/ccer-projects", response_model=Page[CcerProjectOut])
async def list_projects(
    uow: UoW,
    who: Caller,
    project_type: Annotated[str | None, Query()] = None,
    county_code: Annotated[str | None, Query()] = None,
    status: Annotated[ProjectStatusName | None, Query()] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[CcerProjectOut]:
    rows = await _list(uow, project_type, county_code, status, text_cursor(cursor), limit)
    return page_of([project_out(row) for row in rows], limit, key=lambda p: [p.id])


@router.get("/v1/ccer-projects/export", response_class=Response, responses=FILE_RESPONSES)
async def export_projects(
    uow: UoW,
    who: Caller,
    project_type: Annotated[str | None, Query()] = None,
    county_code: Annotated[str | None, Query()] = None,
    status: Annotated[ProjectStatusName | None, Query()] = None,
    file_format: Annotated[ExportFormat, Query(alias="format")] = "csv",
) -> Response:
    rows = await _list(uow, project_type, county_code, status, None, None)
    table: list[list[Any]] = [
        [r.project_id, r.name, r.project_type, r.county_code, r.owner, r.owner_enterprise_id,
         r.estimated_annual_reduction_tco2e, r.status.value, r.description]
        for r in rows
    ]  # fmt: skip
    return file_response(name="ccer-projects", file_format=file_format, headers=EXPORT_COLUMNS, rows=table)


@router.get("/v1/ccer-projects/{project_id}", response_model=CcerProjectOut)
async def get_project(project_id: str, uow: UoW, who: Caller) -> CcerProjectOut:
    async with uow:
        return project_out(await ccer.get_project(uow, project_id=project_id))


@router.post("/v1/ccer-projects/{project_id}/status", response_model=CcerProjectOut)
async def move_project(project_id: str, body: CcerStatusIn, uow: UoW, who: Regulator) -> CcerProjectOut:
    """Move a project along candidate -> developing -> registered, or withdraw it (409 otherwise)."""
    async with uow:
        record = await ccer.move_project(uow, project_id=project_id, status=ProjectStatus(body.status))
        await uow.commit()
    return project_out(record)
