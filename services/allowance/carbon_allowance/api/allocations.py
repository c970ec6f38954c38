"""Allocations (pre, final true-up), the power-sector calculator, CCER deposits and exchange transfers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query

from carbon_allowance.api.common import (
    READERS,
    actor_of,
    instrument_named,
    own_enterprise,
    time_cursor,
    time_key,
)
from carbon_allowance.api.schemas import (
    AllocationIn,
    AllocationOut,
    CalculateIn,
    CalculateOut,
    CcerDepositIn,
    CcerDepositOut,
    TransferIn,
    TransferOut,
)
from carbon_allowance.db import records
from carbon_allowance.db.ledger import instrument_of
from carbon_allowance.domain.allocation import PowerUnitInput, category_from_code
from carbon_allowance.service import allocations as allocation_cases
from carbon_allowance.service import movements
from carbon_shared.app import UoW
from carbon_shared.auth import Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page, page_of

router = APIRouter(tags=["allocations"])
Issuer = Annotated[Principal, require_roles("region", "regulator")]
Reader = Annotated[Principal, require_roles(*READERS)]


@router.post("/v1/allocations", status_code=201, response_model=AllocationOut)
async def create_allocation(body: AllocationIn, uow: UoW, who: Issuer) -> AllocationOut:
    """Issue a year's allocation; a `final` trues up the difference to what was issued before."""
    async with uow:
        record = await allocation_cases.issue_allocation(uow, **body.model_dump(), actor=actor_of(who))
        await uow.commit()
    return AllocationOut(**dataclasses.asdict(record))


@router.get("/v1/allocations", response_model=Page[AllocationOut])
async def list_allocations(
    uow: UoW,
    who: Reader,
    limit: Limit = 100,
    cursor: Cursor = None,
    enterprise_id: str | None = None,
    year: int | None = None,
) -> Page[AllocationOut]:
    filters = {"enterprise_id": own_enterprise(who, enterprise_id), "year": year}
    async with uow:
        rows = await records.page(
            uow.session,
            records.allocations,
            id_column="allocation_id",
            filters=filters,
            after=time_cursor(cursor),
            limit=limit + 1,
        )
    items = [AllocationOut.model_validate(row, from_attributes=True) for row in rows]
    return page_of(items, limit, time_key("created_at", "allocation_id"))


@router.post("/v1/allocations/calculate", response_model=CalculateOut)
async def calculate_allocation(body: CalculateIn, who: Issuer) -> CalculateOut:
    """DOMAIN rule 5 for a power unit: benchmark, top-up, final and pre-allocation. Issues nothing."""
    unit = PowerUnitInput(**{**body.model_dump(), "category": category_from_code(body.category)})
    result = allocation_cases.calculate(unit)
    return CalculateOut(
        benchmark_allocation=result.benchmark_allocation,
        top_up=result.top_up,
        final_allocation=result.final_allocation,
        pre_allocation=result.pre_allocation,
        breakdown=_plain(dataclasses.asdict(result.breakdown)),
    )


def _plain(value: Any) -> Any:
    """The breakdown as JSON: decimals as numbers, enums and dates as text."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@router.post("/v1/ccer-deposits", status_code=201, response_model=CcerDepositOut)
async def create_ccer_deposit(body: CcerDepositIn, uow: UoW, who: Issuer) -> CcerDepositOut:
    async with uow:
        record = await movements.deposit_ccer(uow, **body.model_dump(), actor=actor_of(who))
        await uow.commit()
    return CcerDepositOut(**dataclasses.asdict(record))


@router.get("/v1/ccer-deposits", response_model=Page[CcerDepositOut])
async def list_ccer_deposits(
    uow: UoW, who: Reader, limit: Limit = 100, cursor: Cursor = None, enterprise_id: str | None = None
) -> Page[CcerDepositOut]:
    async with uow:
        rows = await records.page(
            uow.session,
            records.ccer_deposits,
            id_column="deposit_id",
            filters={"enterprise_id": own_enterprise(who, enterprise_id)},
            after=time_cursor(cursor),
            limit=limit + 1,
        )
    items = [CcerDepositOut.model_validate(row, from_attributes=True) for row in rows]
    return page_of(items, limit, time_key("created_at", "deposit_id"))


@router.post("/v1/transfers", status_code=201, response_model=TransferOut)
async def import_transfer(body: TransferIn, uow: UoW, who: Issuer) -> TransferOut:
    """A trade settled on the national exchange (in: bought, out: sold), imported once per trade_ref."""
    instrument = instrument_named(body.instrument, vintage=body.vintage, project_ref=body.project_ref)
    async with uow:
        record = await movements.import_transfer(
            uow,
            trade_ref=body.trade_ref,
            enterprise_id=body.enterprise_id,
            direction=body.direction,
            instrument=instrument,
            amount=body.amount,
            counterparty=body.counterparty,
            settled_on=body.settled_on,
            actor=actor_of(who),
        )
        await uow.commit()
    fields = {k: v for k, v in dataclasses.asdict(record).items() if k != "instrument"}
    return TransferOut(**fields, instrument=instrument.code)


@router.get("/v1/transfers", response_model=Page[TransferOut])
async def list_transfers(
    uow: UoW,
    who: Reader,
    limit: Limit = 100,
    cursor: Cursor = None,
    enterprise_id: Annotated[str | None, Query()] = None,
) -> Page[TransferOut]:
    async with uow:
        rows = await records.page(
            uow.session,
            records.transfers,
            id_column="transfer_id",
            filters={"enterprise_id": own_enterprise(who, enterprise_id)},
            after=time_cursor(cursor),
            limit=limit + 1,
        )
    items = [_transfer_out(row) for row in rows]
    return page_of(items, limit, time_key("created_at", "transfer_id"))


def _transfer_out(row: Any) -> TransferOut:
    code = instrument_of(row.instrument_kind, row.vintage, row.project_ref).code
    return TransferOut(
        transfer_id=row.transfer_id,
        trade_ref=row.trade_ref,
        enterprise_id=row.enterprise_id,
        direction=row.direction,
        instrument=code,
        amount=row.amount,
        counterparty=row.counterparty,
        settled_on=row.settled_on,
        created_at=row.created_at,
    )
