"""Use cases of verification: assignment of an agency, the verification result, the re-check (复查), and
the enterprise's review request (复核) within its working-day window.

An accepted result states `ReportVerified` with the new revision; a re-check that ends accepted states a
second `ReportVerified` with a higher revision, which consumers treat as a correction. Each use case reads
the report row and the agency it needs in the one locking statement (`reports.lock_report`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from carbon_reporting.db import reports
from carbon_reporting.db.reports import StoredReport
from carbon_reporting.domain.deadlines import ReviewWindow, cst_date, review_window_after
from carbon_reporting.domain.errors import FieldIssue, InvalidInput
from carbon_reporting.domain.lifecycle import (
    AgencyStanding,
    Conclusion,
    ReportStatus,
    Step,
    assign_agency,
    order_recheck,
    record_verification,
    request_review,
)
from carbon_reporting.domain.policy import Actor
from carbon_reporting.service.reference import deadline_rules, holiday_calendars
from carbon_reporting.service.reports import locked_report
from carbon_shared.db import UnitOfWork
from carbon_shared.events import ReviewRequested
from carbon_shared.events.reporting_events import RecheckOrdered, ReportReturned, ReportVerified


@dataclass(frozen=True)
class VerificationResult:
    conclusion: Conclusion
    verified_emissions_tco2e: Decimal | None
    opinion: str


def _now_and_today() -> tuple[dt.datetime, dt.date]:
    now = dt.datetime.now(dt.UTC)
    return now, cst_date(instant=now, rules=deadline_rules())


def _agency(agency_id: str | None, context: Mapping[str, Any]) -> AgencyStanding | None:
    if agency_id is None or context["agency_kind"] is None:
        return None
    return AgencyStanding(agency_id, context["agency_kind"], context["agency_banned_until"])


async def assign(uow: UnitOfWork, *, actor: Actor, report_id: str, agency_id: str) -> StoredReport:
    """The regulator assigns a verification agency that is not banned today (CST) and did not prepare it."""
    stored, context = await locked_report(uow, report_id, context=reports.agency_columns(agency_id))
    agency = _agency(agency_id, context)
    if agency is None:
        raise InvalidInput((FieldIssue("agency_id", "no agency with this id is registered"),))
    now, today = _now_and_today()
    step = assign_agency(report=stored.report, actor=actor, agency=agency, on=today, at=now)
    return await _apply(uow, stored, step, agency_id=agency_id)


async def verify(
    uow: UnitOfWork, *, actor: Actor, report_id: str, result: VerificationResult
) -> StoredReport:
    """Record the result of the assigned agency's verifier (not while it is banned), or of the region."""
    stored, context = await locked_report(uow, report_id, context=reports.assigned_agency_columns())
    now, today = _now_and_today()
    step = record_verification(
        report=stored.report,
        actor=actor,
        conclusion=result.conclusion,
        verified_emissions_tco2e=result.verified_emissions_tco2e,
        opinion=result.opinion,
        at=now,
        agency=_agency(stored.report.assigned_agency_id, context),
        on=today,
    )
    if step.report.status is ReportStatus.RETURNED:
        return await _return(uow, stored, step, opinion=result.opinion)
    return await _accept(uow, step, stored=stored, actor=actor)


async def _return(uow: UnitOfWork, stored: StoredReport, step: Step, *, opinion: str) -> StoredReport:
    report, agency_id = step.report, stored.report.assigned_agency_id
    returned = await _apply(uow, stored, step, agency_id=agency_id)
    await uow.emit(
        ReportReturned(
            report_id=report.report_id,
            enterprise_id=report.enterprise_id,
            year=report.year,
            agency_id=agency_id,
            opinion=opinion,
        )
    )
    return returned


async def _accept(uow: UnitOfWork, step: Step, *, stored: StoredReport, actor: Actor) -> StoredReport:
    report, agency_id = step.report, stored.report.assigned_agency_id
    verified_on = cst_date(instant=step.record.at, rules=deadline_rules())
    assert report.verified_emissions_tco2e is not None, "an accepted step carries the verified emissions"
    emissions, on = report.verified_emissions_tco2e, verified_on
    verified = await _apply(uow, stored, step, agency_id=agency_id, verified=emissions, verified_on=on)
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
    return verified


async def recheck(uow: UnitOfWork, *, actor: Actor, report_id: str, reason: str) -> StoredReport:
    """The regulator orders a re-check of a verified report; it goes back to an agency for a new revision."""
    stored, _ = await locked_report(uow, report_id)
    step = order_recheck(report=stored.report, actor=actor, reason=reason, at=dt.datetime.now(dt.UTC))
    rechecked = await _apply(uow, stored, step, agency_id=stored.report.assigned_agency_id)
    await uow.emit(
        RecheckOrdered(
            report_id=report_id,
            enterprise_id=stored.report.enterprise_id,
            year=stored.report.year,
            reason=reason,
        )
    )
    return rechecked


def review_window(stored: StoredReport) -> ReviewWindow | None:
    """The feedback and review-request dates of the latest verification (None before any)."""
    if stored.verified_on is None:
        return None
    return review_window_after(
        verified_on=stored.verified_on, rules=deadline_rules(), calendars=holiday_calendars()
    )


async def ask_review(uow: UnitOfWork, *, actor: Actor, report_id: str, reason: str) -> StoredReport:
    """The owner asks for a review (复核) of its verified result; 409 once the window has closed.

    The window is computed before the policy check but only told after it (another enterprise gets 404)."""
    stored, _ = await locked_report(uow, report_id)
    window = review_window(stored)
    now, today = _now_and_today()
    step = request_review(
        report=stored.report,
        actor=actor,
        reason=reason,
        on=today,
        window_closes=window.review_request_due if window else None,
        at=now,
    )
    saved = await _apply(uow, stored, step, agency_id=stored.report.assigned_agency_id)
    report = saved.report
    await uow.emit(
        ReviewRequested(
            report_id=report.report_id,
            enterprise_id=report.enterprise_id,
            year=report.year,
            revision=report.revision,
            reason=reason,
        )
    )
    return saved


async def _apply(
    uow: UnitOfWork,
    stored: StoredReport,
    step: Step,
    *,
    agency_id: str | None,
    verified: Decimal | None = None,
    verified_on: dt.date | None = None,
) -> StoredReport:
    extra = {"verified_on": verified_on} if verified_on is not None else {}
    await reports.append_transition(
        uow.session, step.record, agency_id=agency_id, verified_emissions_tco2e=verified
    )
    return await reports.save_state(uow.session, stored, step.report, at=step.record.at, **extra)
