"""Surrenders and voluntary cancellations by the enterprise itself.

Surrender: 422 beyond the CCER cap, 409 when available units are short. Cancellation: 409 when short.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from carbon_allowance.api.common import (
    READERS,
    actor_of,
    instrument_named,
    obligation_out,
    own_enterprise,
    time_cursor,
    time_key,
)
from carbon_allowance.api.schemas import CancellationIn, CancellationOut, SurrenderIn, SurrenderOut
from carbon_allowance.db import records
from carbon_allowance.service import surrenders as surrender_cases
from carbon_allowance.service.cancellations import cancel_units
from carbon_shared.app import UoW
from carbon_shared.auth import Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page, page_of

router = APIRouter(tags=["surrenders"])
Enterprise = Annotated[Principal, require_roles("enterprise")]
Reader = Annotated[Principal, require_roles(*READERS)]


@router.post("/v1/surrenders", status_code=201, response_model=SurrenderOut)
async def create_surrender(body: SurrenderIn, uow: UoW, who: Enterprise) -> SurrenderOut:
    own_enterprise(who, body.enterprise_id)
    async with uow:
        record = await surrender_cases.surrender(uow, **body.model_dump(), actor=actor_of(who))
        await uow.commit()
    return SurrenderOut(
        surrender_id=record.surrender_id,
        enterprise_id=record.enterprise_id,
        year=record.year,
        allowances=record.allowances,
        ccer=record.ccer,
        surrendered_on=record.surrendered_on,
        created_at=record.created_at,
        obligation=obligation_out(record.obligation),
    )


@router.get("/v1/surrenders", response_model=Page[SurrenderOut])
async def list_surrenders(
    uow: UoW,
    who: Reader,
    limit: Limit = 100,
    cursor: Cursor = None,
    enterprise_id: str | None = None,
    year: int | None = None,
) -> Page[SurrenderOut]:
    filters = {"enterprise_id": own_enterprise(who, enterprise_id), "year": year}
    async with uow:
        rows = await records.page(
            uow.session,
            records.surrenders,
            id_column="surrender_id",
            filters=filters,
            after=time_cursor(cursor),
            limit=limit + 1,
        )
    items = [SurrenderOut.model_validate(row, from_attributes=True) for row in rows]
    return page_of(items, limit, time_key("created_at", "surrender_id"))


@router.post("/v1/cancellations", status_code=201, response_model=CancellationOut)
async def cancel(body: CancellationIn, uow: UoW, who: Enterprise) -> CancellationOut:
    """Voluntary cancellation of the caller's own available units (extra: not in the contract)."""
    own_enterprise(who, body.enterprise_id)
    instrument = instrument_named(body.instrument, vintage=body.vintage, project_ref=body.project_ref)
    async with uow:
        record = await cancel_units(
            uow,
            enterprise_id=body.enterprise_id,
            instrument=instrument,
            amount=body.amount,
            reason=body.reason,
            actor=actor_of(who),
        )
        await uow.commit()
    return CancellationOut(
        cancellation_id=record.cancellation_id,
        enterprise_id=record.enterprise_id,
        instrument=record.instrument.code,
        amount=record.amount,
        reason=record.reason,
        created_at=record.created_at,
    )
