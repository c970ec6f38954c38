"""The key-emitter directory (名录): public list and export per year; the regulator's manual decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from carbon_registry.api.paging import text_cursor
from carbon_registry.api.schemas import DirectoryDecisionIn, DirectoryStatusOut, KeyEmitterOut, ListingIn
from carbon_registry.db.directory import DirectoryEntry
from carbon_registry.domain.directory import DirectoryEvaluation
from carbon_registry.service import directory
from carbon_shared.app import UoW
from carbon_shared.auth import Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page, page_of
from carbon_shared.spreadsheets import FILE_RESPONSES, ExportFormat, file_response

router = APIRouter(tags=["key-emitter directory"])
Regulator = Annotated[Principal, require_roles("regulator")]
Year = Annotated[int, Query(ge=2000, le=2100, description="directory year")]

EXPORT_COLUMNS = (
    "enterprise_id", "uscc", "enterprise_name", "sector", "county_code", "year", "rule", "basis_year",
    "basis_emissions_tco2e", "reason",
)  # fmt: skip


def key_emitter_out(entry: DirectoryEntry) -> KeyEmitterOut:
    return KeyEmitterOut(
        enterprise_id=entry.enterprise_id,
        year=entry.year,
        basis_year=entry.basis_year,
        basis_emissions_tco2e=entry.basis_emissions_tco2e,
        enterprise_name=entry.enterprise_name,
        uscc=entry.uscc,
        sector=entry.sector,
        county_code=entry.county_code,
        rule=entry.rule,  # type: ignore[arg-type]  # stored from ListingRule, so one of the two
        reason=entry.reason,
    )


@router.get("/v1/key-emitters", response_model=Page[KeyEmitterOut])
async def key_emitters(
    uow: UoW, year: Year, limit: Limit = 100, cursor: Cursor = None
) -> Page[KeyEmitterOut]:
    """(public) The directory for `year`, maintained from verified reports and the regulator's decisions."""
    async with uow:
        rows = await directory.directory_for(uow, year=year, after=text_cursor(cursor), limit=limit)
    return page_of([key_emitter_out(row) for row in rows], limit, key=lambda e: [e.enterprise_id])


def _export_row(entry: DirectoryEntry) -> list[Any]:
    return [
        entry.enterprise_id, entry.uscc, entry.enterprise_name, entry.sector, entry.county_code, entry.year,
        entry.rule, entry.basis_year, entry.basis_emissions_tco2e, entry.reason,
    ]  # fmt: skip


@router.get("/v1/key-emitters/export", response_class=Response, responses=FILE_RESPONSES)
async def export_key_emitters(
    uow: UoW, year: Year, file_format: Annotated[ExportFormat, Query(alias="format")] = "csv"
) -> Response:
    """(public) The published directory for `year` as CSV or XLSX."""
    async with uow:
        rows = await directory.directory_for(uow, year=year, after=None, limit=None)
    return file_response(
        name=f"key-emitters-{year}",
        file_format=file_format,
        headers=EXPORT_COLUMNS,
        rows=map(_export_row, rows),
    )


def _status(enterprise_id: str, year: int, evaluation: DirectoryEvaluation) -> DirectoryStatusOut:
    status = evaluation.status_for(year)
    rule = None if status is None else (status.listing_rule or status.exit_rule)
    return DirectoryStatusOut(
        enterprise_id=enterprise_id,
        year=year,
        listed=bool(status and status.listed),
        rule=None if rule is None else rule.value,
        reason=None if status is None else status.reason,
    )


@router.post("/v1/key-emitters", status_code=201, response_model=DirectoryStatusOut)
async def list_on_application(body: ListingIn, uow: UoW, who: Regulator) -> DirectoryStatusOut:
    """List a unit for `year` on its application (regulator, written reason): EmitterListed rule application.
    409 if it is already listed or closed before that year."""
    async with uow:
        evaluation = await directory.list_by_regulator(
            uow, enterprise_id=body.enterprise_id, year=body.year, reason=body.reason, actor=who
        )
        await uow.commit()
    return _status(body.enterprise_id, body.year, evaluation)


@router.post("/v1/key-emitters/{enterprise_id}/removal", response_model=DirectoryStatusOut)
async def remove(
    enterprise_id: str, body: DirectoryDecisionIn, uow: UoW, who: Regulator
) -> DirectoryStatusOut:
    """Remove a listed unit for `year` (regulator, written reason): EmitterDelisted rule regulator."""
    async with uow:
        evaluation = await directory.remove_by_regulator_decision(
            uow, enterprise_id=enterprise_id, year=body.year, reason=body.reason, actor=who
        )
        await uow.commit()
    return _status(enterprise_id, body.year, evaluation)
