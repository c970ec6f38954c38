"""Use cases that keep the registry read models: enterprises, the key-emitter directory, agencies.

Called by the event handlers inside the consumer's unit of work (they never commit). Kafka keeps the
events of one enterprise or agency in order, so the last event written is the registry's current view.
"""

from __future__ import annotations

import datetime as dt

from carbon_reporting.db import readmodels
from carbon_shared.db import UnitOfWork
from carbon_shared.events.registry_events import (
    AgencyRegistered,
    AgencyViolationRecorded,
    EmitterDelisted,
    EmitterListed,
    EnterpriseClosed,
    EnterpriseRegistered,
    EnterpriseUpdated,
)

# An agency known only from a violation (its registration not yet seen) cannot be assigned until then.
UNREGISTERED_KIND = "unregistered"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def record_enterprise(uow: UnitOfWork, *, event: EnterpriseRegistered | EnterpriseUpdated) -> None:
    await readmodels.save_enterprise(
        uow.session,
        enterprise_id=event.enterprise_id,
        uscc=event.uscc,
        name=event.name,
        sector=event.sector,
        county_code=event.county_code,
        status=event.status,
        updated_at=_now(),
    )


async def record_closure(uow: UnitOfWork, *, event: EnterpriseClosed) -> None:
    await readmodels.close_enterprise(
        uow.session, enterprise_id=event.enterprise_id, closed_on=event.closed_on, at=_now()
    )


async def record_listing(uow: UnitOfWork, *, event: EmitterListed) -> None:
    await readmodels.set_listing(
        uow.session,
        enterprise_id=event.enterprise_id,
        year=event.year,
        listed=True,
        rule=event.rule,
        at=_now(),
    )


async def record_delisting(uow: UnitOfWork, *, event: EmitterDelisted) -> None:
    await readmodels.delist_from(
        uow.session, enterprise_id=event.enterprise_id, year=event.year, rule=event.rule, at=_now()
    )


async def record_agency(uow: UnitOfWork, *, event: AgencyRegistered) -> None:
    await readmodels.save_agency(
        uow.session, agency_id=event.agency_id, name=event.name, kind=event.kind, at=_now()
    )


async def record_violation(uow: UnitOfWork, *, event: AgencyViolationRecorded) -> None:
    """A ban bars assignments until `banned_until`; a shorter later ban never shortens a longer one."""
    if event.banned_until is None:
        return
    agency = await readmodels.get_agency_for_update(uow.session, event.agency_id)
    if agency is None:
        await readmodels.insert_agency(
            uow.session,
            agency_id=event.agency_id,
            name=event.agency_name,
            kind=UNREGISTERED_KIND,
            banned_until=event.banned_until,
            at=_now(),
        )
        return
    if agency.banned_until is None or event.banned_until > agency.banned_until:
        await readmodels.set_ban(
            uow.session, agency_id=event.agency_id, banned_until=event.banned_until, at=_now()
        )
