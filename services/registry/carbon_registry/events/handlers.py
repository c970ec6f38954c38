"""Which handler reacts to which event. Each is a thin entry into a use case; the runtime commits."""

from collections.abc import Mapping, Sequence

from carbon_registry.service.directory import record_verified_emissions
from carbon_shared.consumer import Handler
from carbon_shared.db import UnitOfWork
from carbon_shared.events import DomainEvent, Envelope, ReportVerified


async def evaluate_directory_on_report_verified(
    uow: UnitOfWork, event: ReportVerified, envelope: Envelope
) -> None:
    await record_verified_emissions(uow, event=event)


HANDLERS: Mapping[type[DomainEvent], Handler | Sequence[Handler]] = {
    ReportVerified: evaluate_directory_on_report_verified,
}
