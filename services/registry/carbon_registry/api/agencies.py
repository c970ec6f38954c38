"""Third-party agencies (第三方服务机构): registration, inspections, violations, lists and export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from carbon_registry.api.paging import text_cursor
from carbon_registry.api.schemas import (
    AgencyIn,
    AgencyKindName,
    AgencyOut,
    FindingOut,
    InspectionIn,
    ViolationIn,
)
from carbon_registry.db.agencies import AgencyRecord, FindingRecord
from carbon_registry.domain.agency import is_banned
from carbon_registry.service import agencies
from carbon_registry.service.values import china_today
from carbon_shared.app import UoW
from carbon_shared.auth import Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page, page_of
from carbon_shared.spreadsheets import FILE_RESPONSES, ExportFormat, file_response

router = APIRouter(tags=["agencies"])
Regulator = Annotated[Principal, require_roles("regulator")]
# Enterprises do not browse the supervision record of agencies; a verifier sees only its own agency.
Supervisor = Annotated[Principal, require_roles("regulator", "region", "department", "ops", "verifier")]
KindFilter = Annotated[AgencyKindName | None, Query()]

EXPORT_COLUMNS = ("id", "uscc", "name", "kind", "banned_until", "created_at")


def agency_out(record: AgencyRecord) -> AgencyOut:
    return AgencyOut(
        id=record.agency_id,
        uscc=record.uscc,
        name=record.name,
        kind=record.kind.value,
        banned_until=record.banned_until,
        banned=is_banned(banned_until=record.banned_until, on=china_today()),
        created_at=record.created_at,
    )


def finding_out(record: FindingRecord) -> FindingOut:
    return FindingOut(
        id=record.finding_id,
        agency_id=record.agency_id,
        date=record.occurred_on,
        passed=record.passed,
        violation=record.kind,  # type: ignore[arg-type]  # stored from ViolationKind
        findings=record.findings,
        banned_until=record.banned_until,
        recorded_by=record.recorded_by,
        recorded_at=record.recorded_at,
    )


@router.post("/v1/agencies", status_code=201, response_model=AgencyOut)
async def register_agency(body: AgencyIn, uow: UoW, who: Regulator) -> AgencyOut:
    """Register an agency (regulator): AgencyRegistered. 422 bad USCC; 409 USCC already registered."""
    async with uow:
        record = await agencies.register_agency(uow, uscc=body.uscc, name=body.name, kind=body.kind)
        await uow.commit()
    return agency_out(record)


@router.get("/v1/agencies", response_model=Page[AgencyOut])
async def list_agencies(
    uow: UoW, who: Supervisor, kind: KindFilter = None, limit: Limit = 100, cursor: Cursor = None
) -> Page[AgencyOut]:
    async with uow:
        rows = await agencies.list_agencies(
            uow, kind=kind, caller=who, after=text_cursor(cursor), limit=limit
        )
    return page_of([agency_out(row) for row in rows], limit, key=lambda a: [a.id])


@router.get("/v1/agencies/export", response_class=Response, responses=FILE_RESPONSES)
async def export_agencies(
    uow: UoW,
    who: Supervisor,
    kind: KindFilter = None,
    file_format: Annotated[ExportFormat, Query(alias="format")] = "csv",
) -> Response:
    async with uow:
        rows = await agencies.list_agencies(uow, kind=kind, caller=who, after=None, limit=None)
    table: list[list[Any]] = [
        [r.agency_id, r.uscc, r.name, r.kind.value, r.banned_until, r.created_at] for r in rows
    ]
    return file_response(name="agencies", file_format=file_format, headers=EXPORT_COLUMNS, rows=table)


@router.get("/v1/agencies/{agency_id}", response_model=AgencyOut)
async def get_agency(agency_id: str, uow: UoW, who: Supervisor) -> AgencyOut:
    async with uow:
        return agency_out(await agencies.get_agency(uow, agency_id=agency_id, caller=who))


@router.post("/v1/agencies/{agency_id}/inspections", status_code=201, response_model=FindingOut)
async def inspect(agency_id: str, body: InspectionIn, uow: UoW, who: Regulator) -> FindingOut:
    """Record an inspection (regulator). A failed one must state its findings; it emits
    AgencyViolationRecorded with the ban period from reference data."""
    async with uow:
        record = await agencies.inspect_agency(
            uow,
            agency_id=agency_id,
            occurred_on=body.date,
            passed=body.passed,
            findings=body.findings,
            actor=who,
        )
        await uow.commit()
    return finding_out(record)


@router.get("/v1/agencies/{agency_id}/inspections", response_model=Page[FindingOut])
async def list_inspections(
    agency_id: str, uow: UoW, who: Supervisor, limit: Limit = 100, cursor: Cursor = None
) -> Page[FindingOut]:
    return await _findings(uow, agency_id, "inspection", who, limit, cursor)


@router.post("/v1/agencies/{agency_id}/violations", status_code=201, response_model=FindingOut)
async def record_violation(agency_id: str, body: ViolationIn, uow: UoW, who: Regulator) -> FindingOut:
    """Record a violation found outside an inspection (regulator): AgencyViolationRecorded with a ban."""
    async with uow:
        record = await agencies.record_agency_violation(
            uow, agency_id=agency_id, occurred_on=body.date, findings=body.findings, actor=who
        )
        await uow.commit()
    return finding_out(record)


@router.get("/v1/agencies/{agency_id}/violations", response_model=Page[FindingOut])
async def list_violations(
    agency_id: str, uow: UoW, who: Supervisor, limit: Limit = 100, cursor: Cursor = None
) -> Page[FindingOut]:
    return await _findings(uow, agency_id, "violation", who, limit, cursor)


async def _findings(
    uow: UoW, agency_id: str, source: str, who: Principal, limit: int, cursor: str | None
) -> Page[FindingOut]:
    async with uow:
        rows = await agencies.list_findings(
            uow, agency_id=agency_id, source=source, caller=who, after=text_cursor(cursor), limit=limit
        )
    return page_of([finding_out(row) for row in rows], limit, key=lambda f: [f.id])
