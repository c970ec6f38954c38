"""Stored rows as response bodies, and the keys of the opaque cursors."""

from __future__ import annotations

from typing import Any

from carbon_reporting.api.schemas import (
    ActivityOut,
    BreakdownOut,
    DisclosureOut,
    FlagOut,
    LedgerOut,
    ReportOut,
    TransitionOut,
)
from carbon_reporting.db.ledgers import StoredLedger
from carbon_reporting.db.reports import StoredFlag, StoredReport, StoredTransition
from carbon_reporting.domain.deadlines import ReviewWindow
from carbon_reporting.domain.disclosure import Disclosure
from carbon_reporting.domain.errors import ReferenceYearMissing
from carbon_reporting.service.verification import review_window
from carbon_shared.errors import Unprocessable
from carbon_shared.pagination import decode_cursor

_BAD_CURSOR = [{"loc": ["query", "cursor"], "msg": "not a cursor of this list"}]


def _window(stored: StoredReport) -> ReviewWindow | None:
    """None also when the holiday calendar the count needs is not installed yet (the read still works)."""
    try:
        return review_window(stored)
    except ReferenceYearMissing:
        return None


def report_out(stored: StoredReport) -> ReportOut:
    report, window = stored.report, _window(stored)
    return ReportOut(
        id=report.report_id,
        enterprise_id=report.enterprise_id,
        year=report.year,
        status=report.status.value,
        revision=report.revision,
        calculated_emissions_tco2e=stored.calculated_emissions_tco2e,
        verified_emissions_tco2e=report.verified_emissions_tco2e,
        verified_on=stored.verified_on,
        feedback_due_on=window.feedback_due if window else None,
        review_request_due_on=window.review_request_due if window else None,
        assigned_agency_id=report.assigned_agency_id,
        prepared_by_agency_id=report.prepared_by_agency_id,
        falsification_suspected=stored.falsification_suspected,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
        breakdown=BreakdownOut.model_validate(stored.breakdown),
        activity=ActivityOut.model_validate({"facilities": stored.activity["facilities"]}),
    )


def transition_out(row: StoredTransition) -> TransitionOut:
    record = row.record
    return TransitionOut(
        id=row.id,
        action=record.action.value,
        from_status=record.from_status.value,
        to_status=record.to_status.value,
        actor_subject=record.actor_subject,
        actor_role=record.actor_role.value,
        agency_id=row.agency_id,
        verified_emissions_tco2e=row.verified_emissions_tco2e,
        revision=record.revision,
        opinion=record.opinion,
        at=record.at,
    )


def flag_out(row: StoredFlag) -> FlagOut:
    return FlagOut.model_validate(row, from_attributes=True)


def ledger_out(row: StoredLedger) -> LedgerOut:
    return LedgerOut.model_validate(row, from_attributes=True)


def disclosure_out(row: Disclosure) -> DisclosureOut:
    return DisclosureOut.model_validate(row, from_attributes=True)


def _cursor(cursor: str | None, size: int) -> list[Any] | None:
    values = decode_cursor(cursor)
    if values is not None and len(values) != size:
        raise Unprocessable("malformed cursor", errors=_BAD_CURSOR)
    return values


def cursor_str(cursor: str | None) -> str | None:
    values = _cursor(cursor, 1)
    return None if values is None else str(values[0])


def cursor_int(cursor: str | None) -> int | None:
    values = _cursor(cursor, 1)
    if values is None:
        return None
    if not isinstance(values[0], int):
        raise Unprocessable("malformed cursor", errors=_BAD_CURSOR)
    return values[0]


def cursor_ledger(cursor: str | None) -> tuple[str, int, int] | None:
    values = _cursor(cursor, 3)
    if values is None:
        return None
    enterprise_id, year, month = values
    if not (isinstance(year, int) and isinstance(month, int)):
        raise Unprocessable("malformed cursor", errors=_BAD_CURSOR)
    return str(enterprise_id), year, month
