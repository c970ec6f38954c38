"""Complaints (投诉举报): filed by the public without login (rate-limited per client address), triaged and
concluded by the regulator; a substantiated complaint rates its subject."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from carbon_credit.api.paging import cursor_pair
from carbon_credit.api.schemas import ComplaintFiledOut, ComplaintIn, ComplaintOut, ConclusionIn, TriageIn
from carbon_credit.domain.complaints import Complaint, conclusion_due_at, triage_due_at
from carbon_credit.domain.rules import SubjectKind
from carbon_credit.reference import load_complaint_rules
from carbon_credit.service import complaints
from carbon_credit.settings import CreditSettings
from carbon_shared.app import UoW
from carbon_shared.auth import Principal, require_roles
from carbon_shared.pagination import Cursor, Limit, Page, page_of

router = APIRouter(tags=["complaints"])

Regulator = Annotated[Principal, require_roles("regulator")]
StatusFilter = Literal["filed", "accepted", "rejected", "substantiated", "unsubstantiated"]


@router.post("/v1/credit/complaints", status_code=201, response_model=ComplaintFiledOut)
async def file_complaint(body: ComplaintIn, request: Request, uow: UoW) -> ComplaintFiledOut:
    """(public) File a complaint about a registered enterprise or agency. 429 past the per-address limit."""
    settings: CreditSettings = request.app.state.settings
    async with uow:
        complaint = await complaints.file(
            uow,
            subject_kind=SubjectKind(body.subject_kind),
            subject_id=body.subject_id,
            description=body.description,
            contact=body.contact,
            client_key=_client_key(request, trust_forwarded_for=settings.trust_forwarded_for),
            limit=settings.complaint_limit,
            window=dt.timedelta(seconds=settings.complaint_window_seconds),
        )
        await uow.commit()
    return ComplaintFiledOut(
        id=complaint.complaint_id,
        status=complaint.status.value,
        filed_at=complaint.filed_at,
        triage_due_at=triage_due_at(complaint, load_complaint_rules()),
    )


@router.get("/v1/credit/complaints", response_model=Page[ComplaintOut])
async def list_complaints(
    uow: UoW,
    who: Regulator,
    status: Annotated[StatusFilter | None, Query()] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[ComplaintOut]:
    """The regulator's complaint queue, oldest first."""
    async with uow:
        rows = await complaints.list_complaints(uow, status=status, after=cursor_pair(cursor), limit=limit)
    return page_of([complaint_out(row) for row in rows], limit, key=lambda c: [c.filed_at.isoformat(), c.id])


@router.get("/v1/credit/complaints/{complaint_id}", response_model=ComplaintOut)
async def get_complaint(complaint_id: str, uow: UoW, who: Regulator) -> ComplaintOut:
    async with uow:
        return complaint_out(await complaints.get(uow, complaint_id=complaint_id))


@router.post("/v1/credit/complaints/{complaint_id}/triage", response_model=ComplaintOut)
async def triage_complaint(complaint_id: str, body: TriageIn, uow: UoW, who: Regulator) -> ComplaintOut:
    """Accept for investigation, or reject with a reason (受理 / 不予受理); decided once (409)."""
    async with uow:
        triaged = await complaints.triage(
            uow, complaint_id=complaint_id, accept=body.decision == "accept", reason=body.reason
        )
        await uow.commit()
    return complaint_out(triaged)


@router.post("/v1/credit/complaints/{complaint_id}/conclusion", response_model=ComplaintOut)
async def conclude_complaint(complaint_id: str, body: ConclusionIn, uow: UoW, who: Regulator) -> ComplaintOut:
    """Conclude an accepted complaint; a substantiated one becomes a fact on the subject's rating."""
    async with uow:
        concluded = await complaints.conclude(
            uow, complaint_id=complaint_id, substantiated=body.substantiated, finding=body.finding
        )
        await uow.commit()
    return complaint_out(concluded)


def _client_key(request: Request, *, trust_forwarded_for: bool) -> str:
    """A hash of the client address: enough to rate-limit, without storing the address itself."""
    forwarded = request.headers.get("x-forwarded-for", "") if trust_forwarded_for else ""
    address = forwarded.split(",")[0].strip() or (request.client.host if request.client else "unknown")
    return hashlib.sha256(address.encode()).hexdigest()


def complaint_out(complaint: Complaint) -> ComplaintOut:
    rules = load_complaint_rules()
    return ComplaintOut(
        id=complaint.complaint_id,
        subject_id=complaint.subject_id,
        subject_kind=complaint.subject_kind.value,
        description=complaint.description,
        status=complaint.status.value,
        filed_at=complaint.filed_at,
        triaged_at=complaint.triaged_at,
        rejection_reason=complaint.rejection_reason,
        concluded_at=complaint.concluded_at,
        finding=complaint.finding,
        triage_due_at=triage_due_at(complaint, rules),
        conclusion_due_at=conclusion_due_at(complaint, rules),
    )
