"""Enterprise use cases: register, edit, close, read. The caller owns the unit of work and commits."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from typing import Any

from sqlalchemy.exc import IntegrityError

from carbon_registry.db import enterprises as repo
from carbon_registry.db.enterprises import EnterpriseFilter, EnterpriseRecord, HistoryEntry
from carbon_registry.domain.changes import diff_snapshots
from carbon_registry.domain.contacts import ContactDetails
from carbon_registry.domain.enterprise import (
    ContactInput,
    EnterpriseDraft,
    EnterpriseInput,
    EnterpriseSnapshot,
    EnterpriseStatus,
    check_enterprise,
    collapse_whitespace,
)
from carbon_registry.reference import load_reference
from carbon_registry.service import directory
from carbon_registry.service.values import jsonable
from carbon_shared.auth import Principal
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import Conflict, NotFound, Unprocessable
from carbon_shared.events import Contact, EnterpriseClosed, EnterpriseRegistered, EnterpriseUpdated

EDITABLE_FIELDS = (
    "uscc",
    "name",
    "sector",
    "county_code",
    "contacts",
    "address",
    "legal_representative",
    "industry_code",
    "facilities",
)


def snapshot_of(draft: EnterpriseDraft) -> EnterpriseSnapshot:
    return EnterpriseSnapshot(
        **{name: getattr(draft, name) for name in EDITABLE_FIELDS},
        status=EnterpriseStatus.ACTIVE,
        closed_on=None,
    )


def _event_contacts(contacts: Sequence[ContactDetails]) -> list[Contact]:
    return [Contact(name=c.name, email=c.email, phone=c.phone) for c in contacts]


def _snapshot_fields(enterprise_id: str, snapshot: EnterpriseSnapshot) -> dict[str, Any]:
    """The fields of EnterpriseRegistered / EnterpriseUpdated: what other services keep as read models."""
    return {
        "enterprise_id": enterprise_id,
        "uscc": snapshot.uscc,
        "name": snapshot.name,
        "sector": snapshot.sector,
        "county_code": snapshot.county_code,
        "status": snapshot.status.value,
        "contacts": _event_contacts(snapshot.contacts),
    }


def _history(
    enterprise_id: str, *, actor: str, action: str, changes: Mapping[str, Any], at: dt.datetime
) -> dict:
    return {
        "enterprise_id": enterprise_id,
        "at": at,
        "actor": actor,
        "action": action,
        "changes": dict(changes),
    }


async def add_enterprises(
    uow: UnitOfWork, *, drafts: Sequence[EnterpriseDraft], actor: str, action: str
) -> list[EnterpriseRecord]:
    """Insert checked drafts in bulk with their history rows and one EnterpriseRegistered each."""
    now = dt.datetime.now(dt.UTC)
    records = [EnterpriseRecord(str(uuid.uuid4()), snapshot_of(draft), None, 1, now, now) for draft in drafts]
    rows = [
        repo.snapshot_row(r.snapshot)
        | {
            "enterprise_id": r.enterprise_id,
            "closure_reason": None,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for r in records
    ]
    await repo.insert_enterprises(uow.session, rows)
    await repo.insert_history(
        uow.session,
        [
            _history(
                r.enterprise_id,
                actor=actor,
                action=action,
                changes={"registered": jsonable(asdict(r.snapshot))},
                at=now,
            )
            for r in records
        ],
    )
    for record in records:
        await uow.emit(EnterpriseRegistered(**_snapshot_fields(record.enterprise_id, record.snapshot)))
    return records


async def register_enterprise(
    uow: UnitOfWork, *, candidate: EnterpriseInput, actor: Principal
) -> EnterpriseRecord:
    draft = check_enterprise(candidate=candidate, rules=load_reference())
    if await repo.registered_usccs(uow.session, [draft.uscc]):
        raise Conflict(f"USCC {draft.uscc} is already registered", code="uscc_registered")
    try:
        (record,) = await add_enterprises(uow, drafts=[draft], actor=actor.sub, action="registered")
        await uow.flush()
    except IntegrityError as exc:  # a concurrent registration of the same USCC won the race
        raise Conflict(f"USCC {draft.uscc} is already registered", code="uscc_registered") from exc
    return record


async def get_enterprise(
    uow: UnitOfWork, *, enterprise_id: str, caller: Principal, lock: bool = False
) -> EnterpriseRecord:
    """The enterprise, or 404 when unknown or (for an enterprise caller) not the caller's own."""
    if caller.role == "enterprise" and caller.enterprise_id != enterprise_id:
        raise NotFound(f"enterprise {enterprise_id} not found")
    record = await repo.get_enterprise(uow.session, enterprise_id, lock=lock)
    if record is None:
        raise NotFound(f"enterprise {enterprise_id} not found")
    return record


def _merged_input(current: EnterpriseSnapshot, changes: Mapping[str, Any]) -> EnterpriseInput:
    values: dict[str, Any] = {name: getattr(current, name) for name in EDITABLE_FIELDS}
    values["contacts"] = tuple(ContactInput(c.name, c.email, c.phone) for c in current.contacts)
    values.update(changes)
    return EnterpriseInput(**values)


async def update_enterprise(
    uow: UnitOfWork, *, enterprise_id: str, changes: Mapping[str, Any], actor: Principal
) -> EnterpriseRecord:
    """Apply the given fields; EnterpriseUpdated has the snapshot and what changed (none: no event)."""
    record = await get_enterprise(uow, enterprise_id=enterprise_id, caller=actor, lock=True)
    draft = check_enterprise(candidate=_merged_input(record.snapshot, changes), rules=load_reference())
    after = replace(record.snapshot, **{name: getattr(draft, name) for name in EDITABLE_FIELDS})
    diff = diff_snapshots(before=record.snapshot, after=after)
    if not diff:
        return record
    if "uscc" in diff and await repo.registered_usccs(uow.session, [after.uscc]):
        raise Conflict(f"USCC {after.uscc} is already registered", code="uscc_registered")
    await _save(
        uow, record, after, closure_reason=record.closure_reason, actor=actor.sub, action="updated", diff=diff
    )
    await uow.emit(EnterpriseUpdated(**_snapshot_fields(enterprise_id, after), changed_fields=list(diff)))
    return await get_enterprise(uow, enterprise_id=enterprise_id, caller=actor)


async def _save(
    uow: UnitOfWork,
    record: EnterpriseRecord,
    after: EnterpriseSnapshot,
    *,
    closure_reason: str | None,
    actor: str,
    action: str,
    diff: Mapping[str, tuple[Any, Any]],
) -> None:
    await repo.save_enterprise(uow.session, record, snapshot=after, closure_reason=closure_reason)
    changes = {field: {"from": jsonable(old), "to": jsonable(new)} for field, (old, new) in diff.items()}
    entry = _history(
        record.enterprise_id, actor=actor, action=action, changes=changes, at=dt.datetime.now(dt.UTC)
    )
    await repo.insert_history(uow.session, [entry])


async def close_enterprise(
    uow: UnitOfWork, *, enterprise_id: str, closed_on: dt.date, reason: str, actor: Principal
) -> EnterpriseRecord:
    """停业/关闭: status closed from `closed_on`; EnterpriseClosed, then the directory drops the unit."""
    record = await get_enterprise(uow, enterprise_id=enterprise_id, caller=actor, lock=True)
    text = collapse_whitespace(reason)
    if text is None:
        raise Unprocessable("a closure needs a reason", errors=[{"loc": ["body", "reason"], "msg": "empty"}])
    if record.snapshot.status is EnterpriseStatus.CLOSED:
        raise Conflict(
            f"enterprise {enterprise_id} closed on {record.snapshot.closed_on}", code="already_closed"
        )
    after = replace(record.snapshot, status=EnterpriseStatus.CLOSED, closed_on=closed_on)
    diff = diff_snapshots(before=record.snapshot, after=after) | {"closure_reason": (None, text)}
    await _save(uow, record, after, closure_reason=text, actor=actor.sub, action="closed", diff=diff)
    await uow.emit(EnterpriseClosed(enterprise_id=enterprise_id, closed_on=closed_on, reason=text))
    closed = await get_enterprise(uow, enterprise_id=enterprise_id, caller=actor)
    await directory.reevaluate(uow, closed)
    return closed


async def list_enterprises(
    uow: UnitOfWork, *, where: EnterpriseFilter, caller: Principal, after: str | None, limit: int
) -> list[EnterpriseRecord]:
    if caller.role == "enterprise":
        where = replace(where, only_id=caller.enterprise_id)
    return await repo.list_enterprises(uow.session, where=where, after=after, limit=limit)


async def history(
    uow: UnitOfWork, *, enterprise_id: str, caller: Principal, after: int | None, limit: int
) -> list[HistoryEntry]:
    await get_enterprise(uow, enterprise_id=enterprise_id, caller=caller)
    return await repo.list_history(uow.session, enterprise_id, after=after, limit=limit)
