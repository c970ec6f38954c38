"""Events produced by the reporting service: annual reports, verification, deadlines, data quality."""

from __future__ import annotations

import datetime as dt

from carbon_shared.events.base import DomainEvent, ExactDecimal, register

PRODUCER = "reporting"


@register
class ReportSubmitted(DomainEvent):
    producer = PRODUCER
    report_id: str
    enterprise_id: str
    year: int
    revision: int
    calculated_emissions_tco2e: ExactDecimal


@register
class ReportVerified(DomainEvent):
    """A verified annual report. A higher `revision` for the same (enterprise, year) corrects earlier ones."""

    producer = PRODUCER
    report_id: str
    enterprise_id: str
    year: int
    revision: int
    verified_emissions_tco2e: ExactDecimal
    agency_id: str | None
    verified_by: str
    verified_on: dt.date


@register
class ReportReturned(DomainEvent):
    producer = PRODUCER
    report_id: str
    enterprise_id: str
    year: int
    agency_id: str | None
    opinion: str


@register
class RecheckOrdered(DomainEvent):
    """The regulator ordered a re-check (复查) of a verified report."""

    producer = PRODUCER
    report_id: str
    enterprise_id: str
    year: int
    reason: str


@register
class ReviewRequested(DomainEvent):
    """The enterprise asked for a review (复核) of its verification result within the window."""

    producer = PRODUCER
    report_id: str
    enterprise_id: str
    year: int
    revision: int
    reason: str


@register
class ReportOverdue(DomainEvent):
    producer = PRODUCER
    enterprise_id: str
    year: int
    due_date: dt.date


@register
class LedgerOverdue(DomainEvent):
    """The monthly ledger (月度存证) for `year`-`month` was not filed by its due date."""

    producer = PRODUCER
    enterprise_id: str
    year: int
    month: int
    due_date: dt.date


@register
class DataQualityFlagged(DomainEvent):
    producer = PRODUCER
    report_id: str
    enterprise_id: str
    year: int
    check: str
    detail: str


@register
class FalsificationSuspected(DomainEvent):
    """Suspected data falsification: triggers joint enforcement (eco, samr, police)."""

    producer = PRODUCER
    report_id: str
    enterprise_id: str
    year: int
    reason: str
    flagged_by: str
