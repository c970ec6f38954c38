"""Use cases of verification: assignment of an agency, the verification result, the re-check (复查).

An accepted result states `ReportVerified` with the new revision; a re-check that ends accepted states a
second `ReportVerified` with a higher revision, which consumers treat as a correction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from carbon_reporting.db import readmodels, reports
from carbon_reporting.db.reports import StoredReport
from carbon_reporting.domain.deadlines import cst_date
from carbon_reporting.domain.errors import FieldIssue, InvalidInput
from carbon_reporting.domain.lifecycle import (
    Conclusion,
    ReportStatus,
    Step,
    assign_agency,
    order_recheck,
    record_verification,
)
from carbon_reporting.domain.policy import Actor
from carbon_reporting.service.reference import deadline_rules
from carbon_reporting.service.reports import locked_report, reload_report
from carbon_shared.db import UnitOfWork
from carbon_shared.events.reporting_events import RecheckOrdered, ReportReturned, ReportVerified


@dataclass(frozen=True)
class VerificationResult:
    conclusion: Conclusion
    verified_emissions_tco2e: Decimal | None
    opinion: str


async def assign(uow: UnitOfWork, *, actor: Actor, report_id: str, agency_id: str) -> StoredReport:
    """The regulator assigns a verification agency that is not banned today (CST) and did not prepare it."""
    stored = await locked_report(uow, report_id)
    agency = await readmodels.get_agency(uow.session, agency_id)
    if agency is None:
        raise InvalidInput((FieldIssue("agency_id", "no agency with this id is registered"),))
    now = dt.datetime.now(dt.UTC)
    today = cst_date(instant=now, rules=deadline_rules())
    step = assign_agency(report=stored.report, actor=actor, agency=agency, on=today, at=now)
    await _apply(uow, step, agency_id=agency_id)
    return await reload_report(uow, report_id)


async def verify(
    uow: UnitOfWork, *, actor: Actor, report_id: str, result: VerificationResult
) -> StoredReport:
    """Record the result of the assigned agency's verifier, or of the region."""
    stored = await locked_report(uow, report_id)
    now = dt.datetime.now(dt.UTC)
    step = record_verification(
        report=stored.report,
        actor=actor,
        conclusion=result.conclusion,
        verified_emissions_tco2e=result.verified_emissions_tco2e,
        opinion=result.opinion,
        at=now,
    )
    report, agency_id = step.report, stored.report.assigned_agency_id
    if report.status is ReportStatus.RETURNED:
        await _apply(uow, step, agency_id=agency_id)
        await uow.emit(
            ReportReturned(
                report_id=report_id,
                enterprise_id=report.enterprise_id,
                year=report.year,
                agency_id=agency_id,
                opinion=result.opinion,
            )
        )
        return await reload_report(uow, report_id)
    return await _accept(uow, step, stored=stored, actor=actor)


async def _accept(uow: UnitOfWork, step: Step, *, stored: StoredReport, actor: Actor) -> StoredReport:
    report, agency_id = step.report, stored.report.assigned_agency_id
    verified_on = cst_date(instant=step.record.at, rules=deadline_rules())
    assert report.verified_emissions_tco2e is not None, "an accepted step carries the verified emissions"
    await _apply(
        uow, step, agency_id=agency_id, verified=report.verified_emissions_tco2e, verified_on=verified_on
    )
    await uow.emit(
        ReportVerified(
            report_id=report.report_id,
            enterprise_id=report.enterprise_id,
            year=report.year,
            revision=report.revision,
            verified_emissions_tco2e=report.verified_emissions_tco2e,
            agency_id=agency_id,
            verified_by=actor.subject,
            verified_on=verified_on,
        )
    )
    return await reload_report(uow, report.report_id)


async def recheck(uow: UnitOfWork, *, actor: Actor, report_id: str, reason: str) -> StoredReport:
    """The regulator orders a re-check of a verified report; it goes back to an agency for a new revision."""
    stored = await locked_report(uow, report_id)
    step = order_recheck(report=stored.report, actor=actor, reason=reason, at=dt.datetime.now(dt.UTC))
    await _apply(uow, step, agency_id=stored.report.assigned_agency_id)
    await uow.emit(
        RecheckOrdered(
            report_id=report_id,
            enterprise_id=stored.report.enterprise_id,
            year=stored.report.year,
            reason=reason,
        )
    )
    return await reload_report(uow, report_id)


async def _apply(
    uow: UnitOfWork,
    step: Step,
    *,
    agency_id: str | None,
    verified: Decimal | None = None,
    verified_on: dt.date | None = None,
) -> None:
    extra = {"verified_on": verified_on} if verified_on is not None else {}
    await reports.save_state(uow.session, step.report, at=step.record.at, **extra)
    await reports.append_transition(
        uow.session, step.record, agency_id=agency_id, verified_emissions_tco2e=verified
    )
