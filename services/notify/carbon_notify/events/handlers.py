"""Which handler reacts to which event: every event of the catalogue is logged and routed; registry
events about enterprises and agencies first update the read models the routing reads. Handlers only
record steps; the batch flushes them once per consumer transaction (service/batch.py)."""

from collections.abc import Mapping, Sequence

from carbon_notify.service.consume import (
    close_enterprise,
    log_and_route,
    remember_agency,
    remember_enterprise,
)
from carbon_shared.consumer import Handler
from carbon_shared.db import UnitOfWork
from carbon_shared.events import (
    AgencyRegistered,
    DomainEvent,
    EnterpriseClosed,
    EnterpriseRegistered,
    EnterpriseUpdated,
    Envelope,
    catalogue,
)


async def notify_on_event(uow: UnitOfWork, event: DomainEvent, envelope: Envelope) -> None:
    log_and_route(uow, envelope=envelope)


async def update_read_model_on_enterprise_registered(
    uow: UnitOfWork, event: EnterpriseRegistered, envelope: Envelope
) -> None:
    remember_enterprise(uow, event=event)


async def update_read_model_on_enterprise_updated(
    uow: UnitOfWork, event: EnterpriseUpdated, envelope: Envelope
) -> None:
    remember_enterprise(uow, event=event)


async def update_read_model_on_enterprise_closed(
    uow: UnitOfWork, event: EnterpriseClosed, envelope: Envelope
) -> None:
    close_enterprise(uow, event=event)


async def update_read_model_on_agency_registered(
    uow: UnitOfWork, event: AgencyRegistered, envelope: Envelope
) -> None:
    remember_agency(uow, event=event)


_READ_MODELS: dict[type[DomainEvent], Handler] = {
    EnterpriseRegistered: update_read_model_on_enterprise_registered,
    EnterpriseUpdated: update_read_model_on_enterprise_updated,
    EnterpriseClosed: update_read_model_on_enterprise_closed,
    AgencyRegistered: update_read_model_on_agency_registered,
}

HANDLERS: Mapping[type[DomainEvent], Handler | Sequence[Handler]] = {
    cls: [*([_READ_MODELS[cls]] if cls in _READ_MODELS else []), notify_on_event]
    for cls in catalogue().values()
}
