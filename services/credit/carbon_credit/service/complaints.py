"""Complaint (投诉举报) use cases: the public files (rate-limited per client), the regulator triages and
concludes; a substantiated complaint becomes a `ComplaintSubstantiated` fact on the subject's rating."""

from __future__ import annotations

import datetime as dt
import uuid

from carbon_credit.db import ratings as repo
from carbon_credit.db import workflows
from carbon_credit.domain import complaints as domain
from carbon_credit.domain.complaints import Complaint
from carbon_credit.domain.rules import SubjectKind
from carbon_credit.reference import load_complaint_rules
from carbon_credit.service.ratings import record_fact, utc_now
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import NotFound, TooManyRequests, Unprocessable


async def file(
    uow: UnitOfWork,
    *,
    subject_kind: SubjectKind,
    subject_id: str,
    description: str,
    contact: str | None,
    client_key: str,
    limit: int,
    window: dt.timedelta,
) -> Complaint:
    now = utc_now()
    if (
        await workflows.complaints_filed_since(uow.session, client_key=client_key, since=now - window)
        >= limit
    ):
        raise TooManyRequests(
            f"at most {limit} complaints per {int(window.total_seconds())} s from one address; retry later"
        )
    subject = await repo.get_subject(uow.session, subject_id)
    if subject is None or subject["subject_kind"] != subject_kind.value:
        raise Unprocessable(
            f"no registered {subject_kind.value} {subject_id}",
            errors=[{"loc": ["body", "subject_id"], "msg": f"unknown {subject_kind.value}"}],
        )
    complaint = domain.file_complaint(
        complaint_id=str(uuid.uuid4()),
        subject_id=subject_id,
        subject_kind=subject_kind,
        description=description,
        filed_at=now,
        rules=load_complaint_rules(),
    )
    await workflows.insert_complaint(uow.session, complaint, contact=contact, client_key=client_key)
    return complaint


async def triage(uow: UnitOfWork, *, complaint_id: str, accept: bool, reason: str | None) -> Complaint:
    complaint = await _locked(uow, complaint_id)
    if accept:
        triaged = domain.accept_complaint(complaint, at=utc_now())
    else:
        triaged = domain.reject_complaint(complaint, at=utc_now(), reason=reason or "")
    await workflows.save_complaint(uow.session, triaged)
    return triaged


async def conclude(uow: UnitOfWork, *, complaint_id: str, substantiated: bool, finding: str) -> Complaint:
    complaint = await _locked(uow, complaint_id)
    if not substantiated:
        concluded = domain.unsubstantiate_complaint(complaint, at=utc_now(), finding=finding)
        await workflows.save_complaint(uow.session, concluded)
        return concluded
    concluded, fact = domain.substantiate_complaint(complaint, at=utc_now(), finding=finding)
    await record_fact(uow, fact=fact)
    await workflows.save_complaint(uow.session, concluded, fact_id=fact.fact_id)
    return concluded


async def get(uow: UnitOfWork, *, complaint_id: str) -> Complaint:
    complaint = await workflows.get_complaint(uow.session, complaint_id)
    if complaint is None:
        raise NotFound(f"no complaint {complaint_id}")
    return complaint


async def _locked(uow: UnitOfWork, complaint_id: str) -> Complaint:
    complaint = await workflows.get_complaint(uow.session, complaint_id, lock=True)
    if complaint is None:
        raise NotFound(f"no complaint {complaint_id}")
    return complaint


async def list_complaints(
    uow: UnitOfWork, *, status: str | None, after: list[str] | None, limit: int
) -> list[Complaint]:
    """Oldest first, `limit + 1` rows (the extra one tells the caller there is a next page)."""
    return await workflows.list_complaints(uow.session, status=status, after=after, limit=limit)
