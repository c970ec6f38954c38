"""Use cases of the consumer: log every event, keep the read models, route notifications.

They run inside the consumer's transaction (the runtime opened the unit of work and commits it) and
only record a step in the batch of that unit of work (service/batch.py): the batch is flushed once,
just before the runtime's commit, in the same transaction.
"""

from __future__ import annotations

from carbon_notify.db.read_models import agency_row, enterprise_row
from carbon_notify.service.batch import CloseEnterprise, RouteEvent, SaveAgency, SaveEnterprise, batch_of
from carbon_shared.db import UnitOfWork
from carbon_shared.events import (
    AgencyRegistered,
    EnterpriseClosed,
    EnterpriseRegistered,
    EnterpriseUpdated,
    Envelope,
)


def log_and_route(uow: UnitOfWork, *, envelope: Envelope) -> None:
    """Store the event for the live stream and create its notifications (at the batch's flush)."""
    batch = batch_of(uow)
    batch.logged.append(envelope)
    batch.steps.append(RouteEvent(envelope))


def remember_enterprise(uow: UnitOfWork, *, event: EnterpriseRegistered | EnterpriseUpdated) -> None:
    """Store the registry's snapshot; what waited for this enterprise is routed right after it."""
    row = enterprise_row(
        enterprise_id=event.enterprise_id,
        name=event.name,
        county_code=event.county_code,
        status=event.status,
        contacts=[contact.model_dump() for contact in event.contacts],
    )
    batch_of(uow).steps.append(SaveEnterprise(row))


def close_enterprise(uow: UnitOfWork, *, event: EnterpriseClosed) -> None:
    batch_of(uow).steps.append(CloseEnterprise(event.enterprise_id))


def remember_agency(uow: UnitOfWork, *, event: AgencyRegistered) -> None:
    row = agency_row(agency_id=event.agency_id, name=event.name, kind=event.kind)
    batch_of(uow).steps.append(SaveAgency(row))
