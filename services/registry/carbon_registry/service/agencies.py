"""Third-party agency use cases: registration, inspections, violations, reads."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.exc import IntegrityError

from carbon_registry.db import agencies as repo
from carbon_registry.db.agencies import AgencyRecord, FindingRecord
from carbon_registry.domain.agency import Finding, check_agency, extended_ban, inspect, record_violation
from carbon_registry.reference import load_agency_sanctions, load_uscc_standard
from carbon_registry.service.values import china_today
from carbon_shared.auth import Principal
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import Conflict, NotFound
from carbon_shared.events import AgencyRegistered, AgencyViolationRecorded


async def register_agency(uow: UnitOfWork, *, uscc: str, name: str, kind: str) -> AgencyRecord:
    draft = check_agency(uscc=uscc, name=name, kind=kind, standard=load_uscc_standard())
    if await repo.uscc_registered(uow.session, draft.uscc):
        raise Conflict(f"an agency with USCC {draft.uscc} is already registered", code="uscc_registered")
    try:
        record = await repo.insert_agency(uow.session, agency_id=str(uuid.uuid4()), draft=draft)
        await uow.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"an agency with USCC {draft.uscc} is already registered", code="uscc_registered"
        ) from exc
    await uow.emit(
        AgencyRegistered(
            agency_id=record.agency_id, uscc=record.uscc, name=record.name, kind=record.kind.value
        )
    )
    return record


async def get_agency(
    uow: UnitOfWork, *, agency_id: str, caller: Principal, lock: bool = False
) -> AgencyRecord:
    """The agency, or 404 when unknown or (for a verifier) not the caller's own agency."""
    if caller.role == "verifier" and caller.agency_id != agency_id:
        raise NotFound(f"agency {agency_id} not found")
    record = await repo.get_agency(uow.session, agency_id, lock=lock)
    if record is None:
        raise NotFound(f"agency {agency_id} not found")
    return record


async def _record_finding(
    uow: UnitOfWork,
    agency: AgencyRecord,
    *,
    source: str,
    passed: bool | None,
    finding: Finding,
    actor: Principal,
) -> FindingRecord:
    stored = await repo.insert_finding(
        uow.session, finding_id=str(uuid.uuid4()), agency_id=agency.agency_id, source=source, passed=passed,
        finding=finding, actor=actor.sub,
    )  # fmt: skip
    if finding.kind is None:
        return stored
    banned_until = extended_ban(agency.banned_until, finding.banned_until)
    await repo.set_ban(uow.session, agency.agency_id, banned_until)
    await uow.emit(
        AgencyViolationRecorded(
            agency_id=agency.agency_id,
            agency_name=agency.name,
            violation=finding.kind.value,
            occurred_on=finding.occurred_on,
            findings=finding.findings,
            banned_until=banned_until,
        )
    )
    return stored


async def inspect_agency(
    uow: UnitOfWork, *, agency_id: str, occurred_on: dt.date, passed: bool, findings: str, actor: Principal
) -> FindingRecord:
    """An inspection result; a failed one bars the agency and emits AgencyViolationRecorded."""
    agency = await get_agency(uow, agency_id=agency_id, caller=actor, lock=True)
    finding = inspect(
        passed=passed,
        occurred_on=occurred_on,
        findings=findings,
        today=china_today(),
        rule=load_agency_sanctions(),
    )
    return await _record_finding(
        uow, agency, source="inspection", passed=passed, finding=finding, actor=actor
    )


async def record_agency_violation(
    uow: UnitOfWork, *, agency_id: str, occurred_on: dt.date, findings: str, actor: Principal
) -> FindingRecord:
    agency = await get_agency(uow, agency_id=agency_id, caller=actor, lock=True)
    finding = record_violation(
        occurred_on=occurred_on, findings=findings, today=china_today(), rule=load_agency_sanctions()
    )
    return await _record_finding(uow, agency, source="violation", passed=None, finding=finding, actor=actor)


async def list_agencies(
    uow: UnitOfWork, *, kind: str | None, caller: Principal, after: str | None, limit: int | None
) -> list[AgencyRecord]:
    only_id = caller.agency_id if caller.role == "verifier" else None
    return await repo.list_agencies(uow.session, kind=kind, only_id=only_id, after=after, limit=limit)


async def list_findings(
    uow: UnitOfWork, *, agency_id: str, source: str, caller: Principal, after: str | None, limit: int
) -> list[FindingRecord]:
    await get_agency(uow, agency_id=agency_id, caller=caller)
    return await repo.list_findings(uow.session, agency_id, source=source, after=after, limit=limit)
