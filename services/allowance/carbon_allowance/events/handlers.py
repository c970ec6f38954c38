"""Which handler reacts to which event: obligations from verified reports, the enterprise read model."""

from collections.abc import Mapping, Sequence

from carbon_allowance.service import enterprises
from carbon_allowance.service.obligations import apply_verified_report
from carbon_shared.consumer import Handler
from carbon_shared.db import UnitOfWork
from carbon_shared.events import (
    DomainEvent,
    EnterpriseClosed,
    EnterpriseRegistered,
    EnterpriseUpdated,
    Envelope,
    ReportVerified,
)


async def establish_obligation_on_report_verified(
    uow: UnitOfWork, event: ReportVerified, _: Envelope
) -> None:
    await apply_verified_report(
        uow,
        report_id=event.report_id,
        enterprise_id=event.enterprise_id,
        year=event.year,
        revision=event.revision,
        verified_emissions_tco2e=event.verified_emissions_tco2e,
    )


async def record_enterprise_on_enterprise_registered(
    uow: UnitOfWork, event: EnterpriseRegistered, _: Envelope
) -> None:
    await enterprises.record_snapshot(uow, snapshot=event.model_dump())


async def record_enterprise_on_enterprise_updated(
    uow: UnitOfWork, event: EnterpriseUpdated, _: Envelope
) -> None:
    await enterprises.record_snapshot(uow, snapshot=event.model_dump())


async def close_account_on_enterprise_closed(uow: UnitOfWork, event: EnterpriseClosed, _: Envelope) -> None:
    await enterprises.record_closure(uow, enterprise_id=event.enterprise_id, closed_on=event.closed_on)


HANDLERS: Mapping[type[DomainEvent], Handler | Sequence[Handler]] = {
    ReportVerified: establish_obligation_on_report_verified,
    EnterpriseRegistered: record_enterprise_on_enterprise_registered,
    EnterpriseUpdated: record_enterprise_on_enterprise_updated,
    EnterpriseClosed: close_account_on_enterprise_closed,
}
