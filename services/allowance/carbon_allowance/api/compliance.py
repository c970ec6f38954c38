"""Compliance: the deadline check, the year's compliance, obligations and statistics."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from carbon_allowance.api.common import READERS, obligation_out, own_enterprise
from carbon_allowance.api.schemas import (
    ComplianceGroupOut,
    ComplianceOut,
    DeadlineCheckIn,
    DeadlineCheckOut,
    EnterpriseObligationOut,
)
from carbon_allowance.db import obligations
from carbon_allowance.domain.statistics import ComplianceSummary, GroupBy
from carbon_allowance.service.common import today_local
from carbon_allowance.service.deadlines import run_deadline_check
from carbon_allowance.service.views import compliance_of_year, compliance_statistics
from carbon_shared.app import UoW
from carbon_shared.auth import Caller, Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page, decode_cursor, page_of

router = APIRouter(tags=["compliance"])
Operator = Annotated[Principal, require_roles("ops", "regulator")]
Reader = Annotated[Principal, require_roles(*READERS)]
Analyst = Annotated[Principal, require_roles("regulator", "region", "ops", "department")]


@router.post("/v1/compliance/{year}/deadline-check", response_model=DeadlineCheckOut)
async def deadline_check(
    year: int, uow: UoW, who: Operator, body: DeadlineCheckIn | None = None
) -> DeadlineCheckOut:
    """Mark the year's unfulfilled obligations due before `as_of` overdue; one SurrenderOverdue each, once."""
    as_of = (body.as_of if body else None) or today_local()
    result = await run_deadline_check(uow, as_of=as_of, year=year)  # commits chunk by chunk
    return DeadlineCheckOut(
        year=year,
        as_of=result.as_of,
        marked_overdue=result.marked_overdue,
        shortfall_units=result.shortfall_units,
    )


@router.get("/v1/compliance/{year}", response_model=ComplianceOut)
async def compliance(year: int, uow: UoW, who: Caller) -> ComplianceOut:
    async with uow:
        summary = await compliance_of_year(uow.session, year)
    return ComplianceOut(**_counts(summary))


@router.get("/v1/statistics/compliance", response_model=Page[ComplianceGroupOut])
async def statistics(
    uow: UoW,
    who: Analyst,
    by: Literal["year", "sector", "county"] = "year",
    year: Annotated[list[int] | None, Query()] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[ComplianceGroupOut]:
    """Compliance rate, surplus and deficit per year, and per sector or county within a year."""
    async with uow:
        summaries = await compliance_statistics(uow.session, years=year, by=GroupBy(by))
    after = decode_cursor(cursor)
    items = [ComplianceGroupOut(**_counts(s), group=s.group) for s in summaries]
    if after:
        items = [i for i in items if (i.year, i.group or "") > (int(after[0]), str(after[1]))]
    return page_of(items[: limit + 1], limit, lambda i: [i.year, i.group or ""])


def _counts(s: ComplianceSummary) -> dict[str, object]:
    names = (
        "year",
        "obligated",
        "fulfilled",
        "overdue",
        "open",
        "compliance_rate",
        "surplus_units",
        "deficit_units",
    )
    return {name: getattr(s, name) for name in names}


@router.get("/v1/obligations", response_model=Page[EnterpriseObligationOut])
async def list_obligations(
    uow: UoW,
    who: Reader,
    year: int | None = None,
    status: Literal["open", "fulfilled", "overdue"] | None = None,
    enterprise_id: str | None = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[EnterpriseObligationOut]:
    after = decode_cursor(cursor)
    async with uow:
        rows = await obligations.list_page(
            uow.session,
            year=year,
            status=status,
            enterprise_id=own_enterprise(who, enterprise_id),
            after=(int(after[0]), str(after[1])) if after else None,
            limit=limit + 1,
        )
    items = [
        EnterpriseObligationOut(**obligation_out(r).model_dump(), enterprise_id=r.obligation.enterprise_id)
        for r in rows
    ]
    return page_of(items, limit, lambda i: [i.year, i.enterprise_id])
