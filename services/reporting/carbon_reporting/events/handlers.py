"""Which handler reacts to which event: registry facts kept as local read models."""

from collections.abc import Mapping, Sequence

from carbon_reporting.service import readmodels
from carbon_shared.consumer import Handler
from carbon_shared.db import UnitOfWork
from carbon_shared.events import DomainEvent, Envelope
from carbon_shared.events.registry_events import (
    AgencyRegistered,
    AgencyViolationRecorded,
    EmitterDelisted,
    EmitterListed,
    EnterpriseClosed,
    EnterpriseRegistered,
    EnterpriseUpdated,
)


async def keep_enterprise_on_enterprise_registered(
    uow: UnitOfWork, event: EnterpriseRegistered, _: Envelope
) -> None:
    await readmodels.record_enterprise(uow, event=event)


async def keep_enterprise_on_enterprise_updated(
    uow: UnitOfWork, event: EnterpriseUpdated, _: Envelope
) -> None:
    await readmodels.record_enterprise(uow, event=event)


async def mark_closed_on_enterprise_closed(uow: UnitOfWork, event: EnterpriseClosed, _: Envelope) -> None:
    await readmodels.record_closure(uow, event=event)


async def list_on_emitter_listed(uow: UnitOfWork, event: EmitterListed, _: Envelope) -> None:
    await readmodels.record_listing(uow, event=event)


async def delist_on_emitter_delisted(uow: UnitOfWork, event: EmitterDelisted, _: Envelope) -> None:
    await readmodels.record_delisting(uow, event=event)


async def keep_agency_on_agency_registered(uow: UnitOfWork, event: AgencyRegistered, _: Envelope) -> None:
    await readmodels.record_agency(uow, event=event)


async def ban_on_agency_violation_recorded(
    uow: UnitOfWork, event: AgencyViolationRecorded, _: Envelope
) -> None:
    await readmodels.record_violation(uow, event=event)


HANDLERS: Mapping[type[DomainEvent], Handler | Sequence[Handler]] = {
    EnterpriseRegistered: keep_enterprise_on_enterprise_registered,
    EnterpriseUpdated: keep_enterprise_on_enterprise_updated,
    EnterpriseClosed: mark_closed_on_enterprise_closed,
    EmitterListed: list_on_emitter_listed,
    EmitterDelisted: delist_on_emitter_delisted,
    AgencyRegistered: keep_agency_on_agency_registered,
    AgencyViolationRecorded: ban_on_agency_violation_recorded,
}
