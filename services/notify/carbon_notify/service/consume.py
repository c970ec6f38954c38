"""Use cases keeping the enterprise and agency read models (run in the consumer's transaction)."""

from __future__ import annotations

from carbon_notify.db import read_models
from carbon_notify.service.routing import route_parked
from carbon_shared.db import UnitOfWork
from carbon_shared.events import AgencyRegistered, EnterpriseClosed, EnterpriseRegistered, EnterpriseUpdated


async def remember_enterprise(uow: UnitOfWork, *, event: EnterpriseRegistered | EnterpriseUpdated) -> None:
    """Store the registry's snapshot, then route what waited for this enterprise (county, contacts)."""
    await read_models.save_enterprise(
        uow.session,
        enterprise_id=event.enterprise_id,
        name=event.name,
        county_code=event.county_code,
        status=event.status,
        contacts=[contact.model_dump() for contact in event.contacts],
    )
    await route_parked(uow.session, enterprise_id=event.enterprise_id)


async def close_enterprise(uow: UnitOfWork, *, event: EnterpriseClosed) -> None:
    await read_models.mark_enterprise_closed(uow.session, event.enterprise_id)


async def remember_agency(uow: UnitOfWork, *, event: AgencyRegistered) -> None:
    await read_models.save_agency(uow.session, agency_id=event.agency_id, name=event.name, kind=event.kind)
