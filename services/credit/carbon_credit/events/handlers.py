"""Which handler reacts to which event. Each is a thin entry into a use case; the runtime commits."""

from collections.abc import Mapping, Sequence

from carbon_credit.domain.rules import SubjectKind
from carbon_credit.service.intake import close_overdue, rate_event, track_overdue
from carbon_credit.service.ratings import register_subject
from carbon_shared.consumer import Handler
from carbon_shared.db import UnitOfWork
from carbon_shared.events import (
    AgencyRegistered,
    AgencyViolationRecorded,
    DataQualityFlagged,
    DomainEvent,
    EnterpriseClosed,
    EnterpriseRegistered,
    EnterpriseUpdated,
    Envelope,
    FalsificationSuspected,
    LedgerOverdue,
    ObligationFulfilled,
    ReportOverdue,
    SurrenderOverdue,
)


async def rate_green_on_enterprise_registered(
    uow: UnitOfWork, event: EnterpriseRegistered, envelope: Envelope
) -> None:
    await register_subject(
        uow, subject_id=event.enterprise_id, kind=SubjectKind.ENTERPRISE, name=event.name, status=event.status
    )


async def keep_name_on_enterprise_updated(
    uow: UnitOfWork, event: EnterpriseUpdated, envelope: Envelope
) -> None:
    await register_subject(
        uow, subject_id=event.enterprise_id, kind=SubjectKind.ENTERPRISE, name=event.name, status=event.status
    )


async def mark_closed_on_enterprise_closed(
    uow: UnitOfWork, event: EnterpriseClosed, envelope: Envelope
) -> None:
    await register_subject(
        uow, subject_id=event.enterprise_id, kind=SubjectKind.ENTERPRISE, name=None, status="closed"
    )


async def rate_green_on_agency_registered(
    uow: UnitOfWork, event: AgencyRegistered, envelope: Envelope
) -> None:
    await register_subject(uow, subject_id=event.agency_id, kind=SubjectKind.AGENCY, name=event.name)


async def keep_name_on_agency_violation_recorded(
    uow: UnitOfWork, event: AgencyViolationRecorded, envelope: Envelope
) -> None:
    await register_subject(uow, subject_id=event.agency_id, kind=SubjectKind.AGENCY, name=event.agency_name)


async def rate_fact_on_event(uow: UnitOfWork, event: DomainEvent, envelope: Envelope) -> None:
    await rate_event(uow, event=event, envelope=envelope)


async def track_overdue_on_surrender_overdue(
    uow: UnitOfWork, event: SurrenderOverdue, envelope: Envelope
) -> None:
    await track_overdue(uow, event=event, envelope=envelope)


async def close_overdue_on_obligation_fulfilled(
    uow: UnitOfWork, event: ObligationFulfilled, envelope: Envelope
) -> None:
    await close_overdue(uow, event=event)


HANDLERS: Mapping[type[DomainEvent], Handler | Sequence[Handler]] = {
    EnterpriseRegistered: rate_green_on_enterprise_registered,
    EnterpriseUpdated: keep_name_on_enterprise_updated,
    EnterpriseClosed: mark_closed_on_enterprise_closed,
    AgencyRegistered: rate_green_on_agency_registered,
    ReportOverdue: rate_fact_on_event,
    LedgerOverdue: rate_fact_on_event,
    DataQualityFlagged: rate_fact_on_event,
    FalsificationSuspected: rate_fact_on_event,
    SurrenderOverdue: [rate_fact_on_event, track_overdue_on_surrender_overdue],
    AgencyViolationRecorded: [keep_name_on_agency_violation_recorded, rate_fact_on_event],
    ObligationFulfilled: [rate_fact_on_event, close_overdue_on_obligation_fulfilled],
}
