"""Enterprises: register, read, filter and search, edit, close, change history, directory history."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from carbon_registry.api.paging import number_cursor, text_cursor
from carbon_registry.api.schemas import (
    ClosureIn,
    ContactOut,
    DirectoryChangeOut,
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePatch,
    FacilityIn,
    FacilityOut,
    HistoryOut,
)
from carbon_registry.db.enterprises import EnterpriseFilter, EnterpriseRecord
from carbon_registry.domain.enterprise import ContactInput, EnterpriseInput, Facility
from carbon_registry.service import directory, enterprises
from carbon_registry.service.values import china_today
from carbon_shared.app import UoW
from carbon_shared.auth import Caller, Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page, page_of

router = APIRouter(tags=["enterprises"])
Regulator = Annotated[Principal, require_roles("regulator")]


def _facilities(items: list[FacilityIn]) -> tuple[Facility, ...]:
    return tuple(Facility(f.name, f.kind, f.capacity_mw) for f in items)


def _changes(body: EnterprisePatch) -> dict[str, Any]:
    changes: dict[str, Any] = body.model_dump(exclude_unset=True, exclude={"contacts", "facilities"})
    if body.contacts is not None:
        changes["contacts"] = tuple(ContactInput(c.name, c.email, c.phone) for c in body.contacts)
    if body.facilities is not None:
        changes["facilities"] = _facilities(body.facilities)
    return changes


def enterprise_out(record: EnterpriseRecord) -> EnterpriseOut:
    s = record.snapshot
    return EnterpriseOut(
        id=record.enterprise_id,
        uscc=s.uscc,
        name=s.name,
        sector=s.sector,
        county_code=s.county_code,
        status=s.status.value,
        closed_on=s.closed_on,
        closure_reason=record.closure_reason,
        address=s.address,
        legal_representative=s.legal_representative,
        industry_code=s.industry_code,
        contacts=[ContactOut(name=c.name, email=c.email, phone=c.phone) for c in s.contacts],
        facilities=[FacilityOut(name=f.name, kind=f.kind, capacity_mw=f.capacity_mw) for f in s.facilities],
        version=record.version,
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def enterprise_filter(
    sector: Annotated[str | None, Query()] = None,
    county_code: Annotated[str | None, Query()] = None,
    status: Annotated[Literal["active", "closed"] | None, Query()] = None,
    key_emitter: Annotated[bool | None, Query(description="in the directory for directory_year")] = None,
    directory_year: Annotated[int | None, Query(description="default: this year")] = None,
    q: Annotated[str | None, Query(description="search: part of the Chinese name or of the USCC")] = None,
) -> EnterpriseFilter:
    return EnterpriseFilter(
        sector=sector,
        county_code=county_code,
        status=status,
        key_emitter=key_emitter,
        directory_year=directory_year or china_today().year,
        search=q.strip() if q and q.strip() else None,
    )


Filters = Annotated[EnterpriseFilter, Depends(enterprise_filter)]


@router.post("/v1/enterprises", status_code=201, response_model=EnterpriseOut)
async def register(body: EnterpriseIn, uow: UoW, who: Regulator) -> EnterpriseOut:
    """Register an enterprise (regulator). 422 names each bad field; 409 if the USCC is registered."""
    candidate = EnterpriseInput(
        **body.model_dump(exclude={"contacts", "facilities"}),
        contacts=tuple(ContactInput(c.name, c.email, c.phone) for c in body.contacts),
        facilities=_facilities(body.facilities),
    )
    async with uow:
        record = await enterprises.register_enterprise(uow, candidate=candidate, actor=who)
        await uow.commit()
    return enterprise_out(record)


@router.get("/v1/enterprises", response_model=Page[EnterpriseOut])
async def list_enterprises(
    uow: UoW, who: Caller, where: Filters, limit: Limit = 100, cursor: Cursor = None
) -> Page[EnterpriseOut]:
    """Filter by sector, county, status, directory membership; search by name or USCC. An enterprise sees
    only its own record."""
    async with uow:
        rows = await enterprises.list_enterprises(
            uow, where=where, caller=who, after=text_cursor(cursor), limit=limit
        )
    return page_of([enterprise_out(row) for row in rows], limit, key=lambda e: [e.id])


@router.get("/v1/enterprises/{enterprise_id}", response_model=EnterpriseOut)
async def get_enterprise(enterprise_id: str, uow: UoW, who: Caller) -> EnterpriseOut:
    """One enterprise; an enterprise asking for another's record gets 404."""
    async with uow:
        return enterprise_out(await enterprises.get_enterprise(uow, enterprise_id=enterprise_id, caller=who))


@router.patch("/v1/enterprises/{enterprise_id}", response_model=EnterpriseOut)
async def update_enterprise(
    enterprise_id: str, body: EnterprisePatch, uow: UoW, who: Regulator
) -> EnterpriseOut:
    """Change the fields sent (regulator); the change is kept in the history and emits EnterpriseUpdated."""
    async with uow:
        record = await enterprises.update_enterprise(
            uow, enterprise_id=enterprise_id, changes=_changes(body), actor=who
        )
        await uow.commit()
    return enterprise_out(record)


@router.post("/v1/enterprises/{enterprise_id}/closure", response_model=EnterpriseOut)
async def close_enterprise(enterprise_id: str, body: ClosureIn, uow: UoW, who: Regulator) -> EnterpriseOut:
    """停业/关闭 (regulator): EnterpriseClosed, and the unit leaves the directory after its closure year."""
    async with uow:
        record = await enterprises.close_enterprise(
            uow, enterprise_id=enterprise_id, closed_on=body.closed_on, reason=body.reason, actor=who
        )
        await uow.commit()
    return enterprise_out(record)


@router.get("/v1/enterprises/{enterprise_id}/history", response_model=Page[HistoryOut])
async def enterprise_history(
    enterprise_id: str, uow: UoW, who: Caller, limit: Limit = 100, cursor: Cursor = None
) -> Page[HistoryOut]:
    """Every change: who, when, what (field: from, to), oldest first."""
    async with uow:
        rows = await enterprises.history(
            uow, enterprise_id=enterprise_id, caller=who, after=number_cursor(cursor), limit=limit
        )
    items = [
        HistoryOut(id=r.entry_id, at=r.at, actor=r.actor, action=r.action, changes=r.changes) for r in rows
    ]
    return page_of(items, limit, key=lambda h: [h.id])


@router.get("/v1/enterprises/{enterprise_id}/directory", response_model=Page[DirectoryChangeOut])
async def directory_history(
    enterprise_id: str, uow: UoW, who: Caller, limit: Limit = 100, cursor: Cursor = None
) -> Page[DirectoryChangeOut]:
    """Every listing and delisting of the unit, with its basis or reason, oldest first."""
    async with uow:
        await enterprises.get_enterprise(uow, enterprise_id=enterprise_id, caller=who)
        rows = await directory.changes_of(
            uow, enterprise_id=enterprise_id, after=number_cursor(cursor), limit=limit
        )
    items = [
        DirectoryChangeOut(
            id=r.change_id, enterprise_id=r.enterprise_id, year=r.year, change=r.change, rule=r.rule,
            basis=r.basis, reason=r.reason, at=r.at,
        )
        for r in rows
    ]  # fmt: skip
    return page_of(items, limit, key=lambda c: [c.id])
