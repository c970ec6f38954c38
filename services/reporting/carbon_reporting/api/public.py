"""Disclosure (public), bulk export (CSV/XLSX) and the region's batch push of verification results."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response

from carbon_reporting.api.errors import actor_of, problem_of
from carbon_reporting.api.schemas import (
    DisclosureOut,
    RegionResultIn,
    RegionResultOut,
    RegionResultsIn,
    RegionResultsOut,
)
from carbon_reporting.api.verification import verification_result
from carbon_reporting.api.views import cursor_str, disclosure_out
from carbon_reporting.domain.errors import ReportingError
from carbon_reporting.domain.policy import Actor
from carbon_reporting.service import disclosure, verification
from carbon_shared.app import Runtime, UoW
from carbon_shared.auth import Caller, Principal, require_roles
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import Problem
from carbon_shared.pagination import Cursor, Limit, Page, page_of
from carbon_shared.spreadsheets import FILE_RESPONSES, ExportFormat, file_response

router = APIRouter(tags=["disclosure, export, region"])

Region = Annotated[Principal, require_roles("region")]


@router.get("/v1/disclosures", response_model=Page[DisclosureOut], summary="Verified emissions (public)")
async def list_disclosures(
    uow: UoW, year: int, limit: Limit = 100, cursor: Cursor = None
) -> Page[DisclosureOut]:
    """Per enterprise: the latest verified revision, its verified emissions and the facilities."""
    async with uow:
        rows = await disclosure.disclosures(uow, year=year, after_id=cursor_str(cursor), limit=limit)
    page = page_of(rows, limit, key=lambda row: [row.report_id])
    return Page[DisclosureOut](
        items=[disclosure_out(row) for row in page.items], next_cursor=page.next_cursor
    )


@router.get(
    "/v1/exports/reports",
    summary="Export a year's reports as CSV or XLSX (regulator, region)",
    response_class=Response,
    responses=FILE_RESPONSES,
)
async def export_reports(uow: UoW, who: Caller, year: int, format: ExportFormat = "csv") -> Response:
    async with uow:
        rows = await disclosure.export_rows(uow, actor=actor_of(who), year=year)
    return file_response(
        name=f"reports-{year}", file_format=format, headers=disclosure.EXPORT_COLUMNS, rows=rows
    )


@router.post(
    "/v1/region/verification-results", response_model=RegionResultsOut, summary="Push results (region)"
)
async def push_verification_results(body: RegionResultsIn, runtime: Runtime, who: Region) -> RegionResultsOut:
    """Each result is applied in its own transaction, as `POST /v1/reports/{id}/verification` would;
    a refused one is reported with the status the single call would have had and does not stop the rest."""
    actor = actor_of(who)
    return RegionResultsOut(results=[await _push_one(runtime.uow(), actor, item) for item in body.results])


async def _push_one(uow: UnitOfWork, actor: Actor, item: RegionResultIn) -> RegionResultOut:
    try:
        async with uow:
            stored = await verification.verify(
                uow, actor=actor, report_id=item.report_id, result=verification_result(item)
            )
            await uow.commit()
    except (ReportingError, Problem) as exc:
        problem = problem_of(exc) if isinstance(exc, ReportingError) else exc
        return RegionResultOut(
            report_id=item.report_id, applied=False, problem_status=problem.status, detail=problem.detail
        )
    return RegionResultOut(
        report_id=item.report_id,
        applied=True,
        status=stored.report.status.value,
        revision=stored.report.revision,
    )
