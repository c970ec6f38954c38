"""Verification: assignment (regulator), result (assigned verifier or region), re-check, falsification."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from carbon_reporting.api.errors import actor_of
from carbon_reporting.api.schemas import AssignmentIn, ReasonIn, ReportOut, VerificationIn
from carbon_reporting.api.views import report_out
from carbon_reporting.domain.lifecycle import Conclusion
from carbon_reporting.service import quality, verification
from carbon_shared.app import UoW
from carbon_shared.auth import Caller, Principal, require_roles

router = APIRouter(tags=["verification"])

Regulator = Annotated[Principal, require_roles("regulator")]
Owner = Annotated[Principal, require_roles("enterprise")]


def verification_result(body: VerificationIn) -> verification.VerificationResult:
    return verification.VerificationResult(
        conclusion=Conclusion(body.conclusion),
        verified_emissions_tco2e=body.verified_emissions_tco2e,
        opinion=body.opinion,
    )


@router.post("/v1/reports/{report_id}/assignment", response_model=ReportOut, summary="Assign an agency")
async def assign_agency(report_id: str, body: AssignmentIn, uow: UoW, who: Regulator) -> ReportOut:
    """-> `in_verification`. 409 when the agency is banned today, prepared the report, or verifies
    nothing; 422 for an agency the registry never announced."""
    async with uow:
        stored = await verification.assign(
            uow, actor=actor_of(who), report_id=report_id, agency_id=body.agency_id
        )
        await uow.commit()
    return report_out(stored)


@router.post("/v1/reports/{report_id}/verification", response_model=ReportOut, summary="Record the result")
async def record_verification(report_id: str, body: VerificationIn, uow: UoW, who: Caller) -> ReportOut:
    """Accepted -> `verified` with the next revision and `ReportVerified`; returned -> back to the
    enterprise with `ReportReturned`. A verifier of another agency gets 403."""
    async with uow:
        stored = await verification.verify(
            uow, actor=actor_of(who), report_id=report_id, result=verification_result(body)
        )
        await uow.commit()
    return report_out(stored)


@router.post("/v1/reports/{report_id}/recheck", response_model=ReportOut, summary="Order a re-check (复查)")
async def order_recheck(report_id: str, body: ReasonIn, uow: UoW, who: Regulator) -> ReportOut:
    """A verified report goes back to an agency (assign again); its next result is a new revision."""
    async with uow:
        stored = await verification.recheck(uow, actor=actor_of(who), report_id=report_id, reason=body.reason)
        await uow.commit()
    return report_out(stored)


@router.post(
    "/v1/reports/{report_id}/review-request", response_model=ReportOut, summary="Ask for a review (复核)"
)
async def ask_review(report_id: str, body: ReasonIn, uow: UoW, who: Owner) -> ReportOut:
    """The owner contests its verified result within `review_request_due_on` (7 working days); the request
    goes on the history for the regulator, who may order a re-check. 409 after the window or unverified."""
    async with uow:
        stored = await verification.ask_review(
            uow, actor=actor_of(who), report_id=report_id, reason=body.reason
        )
        await uow.commit()
    return report_out(stored)


@router.post(
    "/v1/reports/{report_id}/falsification",
    response_model=ReportOut,
    summary="Mark as suspected falsification (joint enforcement)",
)
async def mark_falsification(report_id: str, body: ReasonIn, uow: UoW, who: Regulator) -> ReportOut:
    """`FalsificationSuspected` for 生态环境局, 市场监管局 and 公安局; the report's status does not change."""
    async with uow:
        stored = await quality.mark_falsification(
            uow, actor=actor_of(who), report_id=report_id, reason=body.reason
        )
        await uow.commit()
    return report_out(stored)
