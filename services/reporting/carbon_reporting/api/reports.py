"""Annual reports: create, edit, submit, withdraw, read, list, history and flags."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from carbon_reporting.api.errors import actor_of
from carbon_reporting.api.schemas import (
    ActivityIn,
    FlagOut,
    ReportIn,
    ReportOut,
    SubmitIn,
    TransitionOut,
    WithdrawIn,
)
from carbon_reporting.api.views import cursor_int, cursor_str, flag_out, report_out, transition_out
from carbon_reporting.db.reports import ReportFilter
from carbon_reporting.domain.lifecycle import ReportStatus
from carbon_reporting.service import reports as use_cases
from carbon_shared.app import UoW
from carbon_shared.auth import Caller, Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page, page_of

router = APIRouter(tags=["reports"])

Filer = Annotated[Principal, require_roles("enterprise", "regulator")]
Owner = Annotated[Principal, require_roles("enterprise")]


@router.post("/v1/reports", status_code=201, response_model=ReportOut, summary="Create a draft report")
async def create_report(body: ReportIn, uow: UoW, who: Filer) -> ReportOut:
    """Accounts the emissions at once (201 with `calculated_emissions_tco2e` and the breakdown).

    422 names each bad field (negative amount, unknown fuel or unit, oxidation outside (0, 1], unknown
    enterprise, year without accounting rules); 409 when a live report for the enterprise and year exists.
    """
    new = use_cases.NewReport(
        enterprise_id=body.enterprise_id,
        year=body.year,
        activity=body.to_domain(),
        prepared_by_agency_id=body.prepared_by_agency_id,
    )
    async with uow:
        stored = await use_cases.create_report(uow, actor=actor_of(who), new=new)
        await uow.commit()
    return report_out(stored)


@router.put("/v1/reports/{report_id}/activity", response_model=ReportOut, summary="Replace activity data")
async def edit_activity(report_id: str, body: ActivityIn, uow: UoW, who: Owner) -> ReportOut:
    """The owner corrects a draft or a returned report; the emissions are accounted again."""
    async with uow:
        stored = await use_cases.edit_activity(
            uow, actor=actor_of(who), report_id=report_id, activity=body.to_domain()
        )
        await uow.commit()
    return report_out(stored)


@router.post("/v1/reports/{report_id}/submit", response_model=ReportOut, summary="Submit (owner)")
async def submit_report(report_id: str, uow: UoW, who: Caller, body: SubmitIn | None = None) -> ReportOut:
    """`ReportSubmitted`, and automatic data-quality flags (`DataQualityFlagged`) for implausible values."""
    async with uow:
        stored = await use_cases.submit(uow, actor=actor_of(who), report_id=report_id)
        await uow.commit()
    return report_out(stored)


@router.post("/v1/reports/{report_id}/withdraw", response_model=ReportOut, summary="Withdraw a draft")
async def withdraw_report(report_id: str, uow: UoW, who: Owner, body: WithdrawIn | None = None) -> ReportOut:
    async with uow:
        stored = await use_cases.withdraw(
            uow, actor=actor_of(who), report_id=report_id, reason=body.reason if body else ""
        )
        await uow.commit()
    return report_out(stored)


@router.get("/v1/reports/{report_id}", response_model=ReportOut, summary="Read a report")
async def get_report(report_id: str, uow: UoW, who: Caller) -> ReportOut:
    """An enterprise reads only its own (another's is 404); a verifier only its agency's assignments."""
    async with uow:
        stored = await use_cases.read_report(uow, actor=actor_of(who), report_id=report_id)
    return report_out(stored)


@router.get("/v1/reports", response_model=Page[ReportOut], summary="List reports (the region pulls by year)")
async def list_reports(
    uow: UoW,
    who: Caller,
    year: int | None = None,
    enterprise_id: str | None = None,
    status: ReportStatus | None = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[ReportOut]:
    """Cursor-paged in id order; an enterprise sees its own, a verifier its agency's assignments."""
    criteria = ReportFilter(year=year, enterprise_id=enterprise_id, status=status.value if status else None)
    async with uow:
        rows = await use_cases.list_reports(
            uow, actor=actor_of(who), criteria=criteria, after_id=cursor_str(cursor), limit=limit
        )
    page = page_of(rows, limit, key=lambda stored: [stored.id])
    return Page[ReportOut](items=[report_out(row) for row in page.items], next_cursor=page.next_cursor)


@router.get("/v1/reports/{report_id}/history", response_model=Page[TransitionOut], summary="Every transition")
async def report_history(
    report_id: str, uow: UoW, who: Caller, limit: Limit = 100, cursor: Cursor = None
) -> Page[TransitionOut]:
    """Who did what when, with opinions and verified figures; nothing is ever overwritten."""
    async with uow:
        rows = await use_cases.history(
            uow, actor=actor_of(who), report_id=report_id, after_id=cursor_int(cursor), limit=limit
        )
    page = page_of(rows, limit, key=lambda row: [row.id])
    items = [transition_out(row) for row in page.items]
    return Page[TransitionOut](items=items, next_cursor=page.next_cursor)


@router.get("/v1/reports/{report_id}/flags", response_model=Page[FlagOut], summary="Flags of a report")
async def report_flags(
    report_id: str,
    uow: UoW,
    who: Caller,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[FlagOut]:
    """Automatic data-quality flags and the regulator's falsification marks, oldest first."""
    async with uow:
        rows = await use_cases.flags(
            uow, actor=actor_of(who), report_id=report_id, after_id=cursor_int(cursor), limit=limit
        )
    page = page_of(rows, limit, key=lambda row: [row.id])
    return Page[FlagOut](items=[flag_out(row) for row in page.items], next_cursor=page.next_cursor)
