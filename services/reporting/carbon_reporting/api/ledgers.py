"""Monthly ledgers (月度存证) and the on-demand deadline check."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter

from carbon_reporting.api.errors import actor_of
from carbon_reporting.api.schemas import DeadlineCheckIn, DeadlineCheckOut, LedgerIn, LedgerOut, OverdueOut
from carbon_reporting.api.views import cursor_ledger, ledger_out
from carbon_reporting.domain.deadlines import cst_date
from carbon_reporting.service import deadlines, ledgers
from carbon_reporting.service.reference import deadline_rules
from carbon_shared.app import UoW
from carbon_shared.auth import Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page, page_of

router = APIRouter(tags=["ledgers and deadlines"])

Filer = Annotated[Principal, require_roles("enterprise", "regulator")]
LedgerReader = Annotated[Principal, require_roles("enterprise", "regulator", "region", "department")]
Operator = Annotated[Principal, require_roles("ops", "regulator")]


@router.post("/v1/ledgers", status_code=201, response_model=LedgerOut, summary="File a monthly ledger")
async def file_ledger(body: LedgerIn, uow: UoW, who: Filer) -> LedgerOut:
    """Once per enterprise and month, after the month ended (409 when already filed; nothing overwritten)."""
    filing = ledgers.LedgerFiling(
        enterprise_id=body.enterprise_id,
        year=body.year,
        month=body.month,
        emissions_tco2e=body.emissions_tco2e,
        fuels=[line.model_dump(mode="json") for line in body.fuels],
        note=body.note,
    )
    async with uow:
        stored = await ledgers.file_ledger(uow, actor=actor_of(who), filing=filing)
        await uow.commit()
    return ledger_out(stored)


@router.get("/v1/ledgers", response_model=Page[LedgerOut], summary="List monthly ledgers")
async def list_ledgers(
    uow: UoW,
    who: LedgerReader,
    enterprise_id: str | None = None,
    year: int | None = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[LedgerOut]:
    """An enterprise sees its own ledgers only."""
    async with uow:
        rows = await ledgers.list_ledgers(
            uow,
            actor=actor_of(who),
            enterprise_id=enterprise_id,
            year=year,
            after=cursor_ledger(cursor),
            limit=limit,
        )
    page = page_of(rows, limit, key=lambda row: [row.enterprise_id, row.year, row.month])
    return Page[LedgerOut](items=[ledger_out(row) for row in page.items], next_cursor=page.next_cursor)


@router.post("/v1/deadlines/check", response_model=DeadlineCheckOut, summary="Run the deadline check now")
async def check_deadlines(uow: UoW, who: Operator, body: DeadlineCheckIn | None = None) -> DeadlineCheckOut:
    """`ReportOverdue` / `LedgerOverdue` for listed units, each once however often the check runs."""
    as_of = (
        body.as_of
        if body and body.as_of
        else cst_date(instant=dt.datetime.now(dt.UTC), rules=deadline_rules())
    )
    async with uow:
        result = await deadlines.check_deadlines(uow, as_of=as_of)
        await uow.commit()
    return DeadlineCheckOut(
        as_of=result.as_of,
        overdue_count=len(result.overdue),
        emitted=[
            OverdueOut(
                kind=item.kind.value,
                enterprise_id=item.enterprise_id,
                year=item.year,
                month=item.month,
                due_date=item.due_date,
            )
            for item in result.newly_emitted
        ],
    )
