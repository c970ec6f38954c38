"""Credit repair (信用修复): an enterprise (or a verifier for its agency) applies for one of its own facts;
the regulator approves or rejects with a reason."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from carbon_credit.api.paging import cursor_pair
from carbon_credit.api.schemas import RepairDecisionIn, RepairIn, RepairOut
from carbon_credit.domain.repair import RepairApplication
from carbon_credit.service import repairs
from carbon_shared.app import UoW
from carbon_shared.auth import Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page, page_of

router = APIRouter(tags=["credit repair"])

APPLICANTS = ("enterprise", "verifier")


@router.post("/v1/credit/repairs", status_code=201, response_model=RepairOut)
async def apply_for_repair(
    body: RepairIn, uow: UoW, who: Annotated[Principal, require_roles(*APPLICANTS)]
) -> RepairOut:
    """Apply to repair one of the caller's own facts after its rectification period (422 before it)."""
    async with uow:
        application = await repairs.apply_for_repair(
            uow,
            subject_id=_own_subject(who),
            fact_id=body.fact_id,
            statement=body.statement,
            filed_by=who.sub,
        )
        await uow.commit()
    return repair_out(application)


@router.post("/v1/credit/repairs/{repair_id}/decision", response_model=RepairOut)
async def decide_repair(
    repair_id: str, body: RepairDecisionIn, uow: UoW, who: Annotated[Principal, require_roles("regulator")]
) -> RepairOut:
    """Approve (the fact stops counting from `effective_from`) or reject with a reason; decided once (409)."""
    async with uow:
        if body.decision == "approve":
            decided = await repairs.approve(
                uow, repair_id=repair_id, decided_by=who.sub, effective_from=body.effective_from
            )
        else:
            decided = await repairs.reject(
                uow, repair_id=repair_id, decided_by=who.sub, reason=body.reason or ""
            )
        await uow.commit()
    return repair_out(decided)


@router.get("/v1/credit/repairs/{repair_id}", response_model=RepairOut)
async def get_repair(
    repair_id: str, uow: UoW, who: Annotated[Principal, require_roles("regulator", "ops", *APPLICANTS)]
) -> RepairOut:
    visible_to = _own_subject(who) if who.role in APPLICANTS else None
    async with uow:
        return repair_out(await repairs.get_repair(uow, repair_id=repair_id, visible_to=visible_to))


@router.get("/v1/credit/repairs", response_model=Page[RepairOut])
async def list_repairs(
    uow: UoW,
    who: Annotated[Principal, require_roles("regulator", "ops", *APPLICANTS)],
    status: Annotated[Literal["pending", "approved", "rejected"] | None, Query()] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[RepairOut]:
    """Repair applications, oldest first: the regulator's work queue, or an applicant's own."""
    subject_id = _own_subject(who) if who.role in APPLICANTS else None
    async with uow:
        rows = await repairs.list_applications(
            uow, subject_id=subject_id, status=status, after=cursor_pair(cursor), limit=limit
        )
    return page_of([repair_out(row) for row in rows], limit, key=lambda r: [r.filed_at.isoformat(), r.id])


def _own_subject(who: Principal) -> str:
    subject = who.enterprise_id if who.role == "enterprise" else who.agency_id
    assert subject is not None  # the token verifier requires the claim for these roles
    return subject


def repair_out(application: RepairApplication) -> RepairOut:
    return RepairOut(
        id=application.repair_id,
        subject_id=application.subject_id,
        fact_id=application.fact_id,
        status=application.status.value,
        statement=application.statement,
        filed_at=application.filed_at,
        decided_at=application.decided_at,
        effective_from=application.effective_from,
        rejection_reason=application.rejection_reason,
    )
