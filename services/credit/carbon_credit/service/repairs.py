"""Credit repair (信用修复) use cases: the subject applies for one of its facts, the regulator decides."""

from __future__ import annotations

import datetime as dt
import uuid

from carbon_credit.db import ratings as repo
from carbon_credit.db import workflows
from carbon_credit.domain.errors import FactNotFound
from carbon_credit.domain.repair import RepairApplication, approve_repair, file_repair, reject_repair
from carbon_credit.domain.rules import SubjectKind
from carbon_credit.service.ratings import active_rules, ensure_subject, load_state, record_repair, utc_now
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import Conflict, NotFound


async def apply_for_repair(
    uow: UnitOfWork, *, subject_id: str, fact_id: str, statement: str, filed_by: str
) -> RepairApplication:
    """A pending application; the fact must be the applicant's own (else 404 hides that it exists)."""
    fact = await repo.get_fact(uow.session, fact_id)
    if fact is None or fact.subject_id != subject_id:
        raise FactNotFound(f"{subject_id} has no recorded fact {fact_id}")
    rules = await active_rules(uow)
    row = await ensure_subject(uow, subject_id=subject_id, kind=fact.subject_kind, rules=rules)
    if (pending := await workflows.pending_repair_for(uow.session, fact_id)) is not None:
        raise Conflict(f"repair application {pending} for fact {fact_id} is still pending a decision")
    application = file_repair(
        repair_id=str(uuid.uuid4()),
        state=await load_state(uow, row),
        fact_id=fact_id,
        filed_at=utc_now(),
        statement=statement,
        rules=rules,
    )
    await workflows.insert_repair(uow.session, application, filed_by=filed_by)
    return application


async def approve(
    uow: UnitOfWork, *, repair_id: str, decided_by: str, effective_from: dt.datetime | None
) -> RepairApplication:
    """Approve: the fact stops counting from `effective_from` (default now), a history line says so."""
    application = await _locked(uow, repair_id)
    rules = await active_rules(uow)
    fact = await repo.get_fact(uow.session, application.fact_id)
    kind = fact.subject_kind if fact is not None else SubjectKind.ENTERPRISE
    row = await ensure_subject(uow, subject_id=application.subject_id, kind=kind, rules=rules)
    approved, repair = approve_repair(
        application=application,
        state=await load_state(uow, row),
        decided_at=utc_now(),
        effective_from=effective_from,
        rules=rules,
    )
    await record_repair(uow, repair=repair, kind=kind)  # rates it before the row counts as approved
    await workflows.save_repair_decision(uow.session, approved, decided_by=decided_by)
    return approved


async def reject(uow: UnitOfWork, *, repair_id: str, decided_by: str, reason: str) -> RepairApplication:
    application = await _locked(uow, repair_id)
    rejected = reject_repair(application=application, decided_at=utc_now(), reason=reason)
    await workflows.save_repair_decision(uow.session, rejected, decided_by=decided_by)
    return rejected


async def get_repair(uow: UnitOfWork, *, repair_id: str, visible_to: str | None) -> RepairApplication:
    """The application; `visible_to` (an applicant's own subject id) hides other subjects' ones."""
    application = await workflows.get_repair(uow.session, repair_id)
    if application is None or (visible_to is not None and application.subject_id != visible_to):
        raise NotFound(f"no repair application {repair_id}")
    return application


async def _locked(uow: UnitOfWork, repair_id: str) -> RepairApplication:
    application = await workflows.get_repair(uow.session, repair_id, lock=True)
    if application is None:
        raise NotFound(f"no repair application {repair_id}")
    return application


async def list_applications(
    uow: UnitOfWork, *, subject_id: str | None, status: str | None, after: list[str] | None, limit: int
) -> list[RepairApplication]:
    """Oldest first, `limit + 1` rows (the extra one tells the caller there is a next page)."""
    return await workflows.list_repairs(
        uow.session, subject_id=subject_id, status=status, after=after, limit=limit
    )
