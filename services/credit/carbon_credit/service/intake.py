"""Turning other services' events into credit facts and read-model updates (called by the consumers).

A fact's id is the envelope's `event_id`, so the history names the very event that caused a change, and
its `occurred_at` is the envelope's `occurred_at`: the instant the producing service established the
fact (an overdue found by a deadline check, a falsification flagged), from which validity and the
rectification period are counted.
"""

from __future__ import annotations

import datetime as dt

from carbon_credit.db import workflows
from carbon_credit.domain.clock import end_of_day_cst
from carbon_credit.domain.facts import Fact as CreditFact
from carbon_credit.domain.facts import OpenOverdue, cause_for, detect_surrender_refusals
from carbon_credit.domain.rules import SubjectKind
from carbon_credit.service.ratings import active_rules, record_fact
from carbon_shared.db import UnitOfWork
from carbon_shared.events import (
    AgencyViolationRecorded,
    DomainEvent,
    Envelope,
    ObligationFulfilled,
    SurrenderOverdue,
)

_NOT_DETAILS = {"enterprise_id", "agency_id", "agency_name"}


def fact_from_event(event: DomainEvent, envelope: Envelope) -> CreditFact | None:
    """The rated fact an event brings, or None (an `ObligationFulfilled` that was late brings none)."""
    cause = cause_for(
        envelope.type,
        violation=event.violation if isinstance(event, AgencyViolationRecorded) else None,
        on_time=event.on_time if isinstance(event, ObligationFulfilled) else None,
    )
    if cause is None:
        return None
    kind = SubjectKind.AGENCY if isinstance(event, AgencyViolationRecorded) else SubjectKind.ENTERPRISE
    payload = event.model_dump(mode="json")
    details = tuple((name, str(value)) for name, value in payload.items() if name not in _NOT_DETAILS)
    return CreditFact(
        fact_id=str(envelope.event_id),
        cause=cause,
        occurred_at=envelope.occurred_at,
        subject_id=envelope.subject,
        subject_kind=kind,
        details=(("event_type", envelope.type), *details),
    )


async def rate_event(uow: UnitOfWork, *, event: DomainEvent, envelope: Envelope) -> None:
    fact = fact_from_event(event, envelope)
    if fact is not None:
        await record_fact(uow, fact=fact)


async def track_overdue(uow: UnitOfWork, *, event: SurrenderOverdue, envelope: Envelope) -> None:
    """Remember the overdue obligation so that a refusal to surrender can be detected later."""
    overdue = OpenOverdue(
        overdue_event_id=str(envelope.event_id),
        enterprise_id=event.enterprise_id,
        year=event.year,
        due_date=event.due_date,
    )
    await workflows.record_overdue(uow.session, overdue)


async def close_overdue(uow: UnitOfWork, *, event: ObligationFulfilled) -> None:
    """A fulfilment ends the overdue of that year; it is dated at the end of its CST day at the latest."""
    fulfilled_at = min(end_of_day_cst(event.fulfilled_on), dt.datetime.now(dt.UTC))
    await workflows.mark_overdue_fulfilled(
        uow.session, enterprise_id=event.enterprise_id, year=event.year, fulfilled_at=fulfilled_at
    )


async def detect_refusals(uow: UnitOfWork, *, as_of: dt.datetime, limit: int) -> int:
    """Rate a refusal to surrender (拒不履约, veto) for obligations still unfulfilled after the period."""
    rules = await active_rules(uow)
    latest_due = (as_of - dt.timedelta(days=rules.surrender_refusal.days_after_due)).date()
    candidates = await workflows.unresolved_overdues(uow.session, due_before=latest_due, limit=limit)
    refusals = detect_surrender_refusals(overdues=candidates, as_of=as_of, rules=rules)
    for fact in refusals:
        await record_fact(uow, fact=fact)
        overdue_event_id = dict(fact.details)["overdue_event_id"]
        await workflows.mark_refused(uow.session, overdue_event_id=overdue_event_id, fact_id=fact.fact_id)
    return len(refusals)
