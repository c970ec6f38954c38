"""Reference tables as read-only endpoints: responsible departments, counties, sectors, CCER project types."""

from __future__ import annotations

from fastapi import APIRouter

from carbon_registry.api.schemas import CodeNameOut, DepartmentOut
from carbon_registry.reference import load_counties, load_departments, load_project_types, load_sectors
from carbon_shared.auth import Caller
from carbon_shared.pagination import Page

router = APIRouter(tags=["reference"])


@router.get("/v1/departments", response_model=Page[DepartmentOut])
async def departments(who: Caller) -> Page[DepartmentOut]:
    """The responsible departments (责任单位) alerts are routed to, by contract code; one page."""
    items = [
        DepartmentOut(
            code=d.code, name_zh=d.name_zh, name_en=d.name_en, county_government=d.county_government
        )
        for d in load_departments().departments
    ]
    return Page[DepartmentOut](items=items, next_cursor=None)


@router.get("/v1/counties", response_model=Page[CodeNameOut])
async def counties(who: Caller) -> Page[CodeNameOut]:
    items = [CodeNameOut(code=c.code, name_zh=c.name_zh, name_en=c.name_en) for c in load_counties().counties]
    return Page[CodeNameOut](items=items, next_cursor=None)


@router.get("/v1/sectors", response_model=Page[CodeNameOut])
async def sectors(who: Caller) -> Page[CodeNameOut]:
    items = [CodeNameOut(code=s.code, name_zh=s.name_zh, name_en=s.name_en) for s in load_sectors().sectors]
    return Page[CodeNameOut](items=items, next_cursor=None)


@router.get("/v1/ccer-project-types", response_model=Page[CodeNameOut])
async def project_types(who: Caller) -> Page[CodeNameOut]:
    types = load_project_types().project_types
    items = [CodeNameOut(code=t.code, name_zh=t.name_zh, name_en=t.name_en) for t in types]
    return Page[CodeNameOut](items=items, next_cursor=None)
