"""Data quality (seed task 2): automatic flags on submission and the regulator's falsification mark.

A flag never blocks the report: it is stored with the report and stated as a `DataQualityFlagged` event
for credit and notify. The ledger comparison runs only for a unit listed for that year (it owes the
monthly ledger); the jump check compares with the previous year's verified emissions when there are any.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from carbon_reporting.db import ledgers, reports
from carbon_reporting.db.reports import StoredReport
from carbon_reporting.domain.errors import ReportNotFound
from carbon_reporting.domain.falsification import suspect_falsification
from carbon_reporting.domain.policy import Actor
from carbon_reporting.domain.quality import (
    QualityFlag,
    check_fuel_parameters,
    check_ledger_consistency,
    check_year_on_year,
)
from carbon_reporting.service.codec import activity_from_document
from carbon_reporting.service.reference import current_accounting, quality_thresholds
from carbon_shared.db import UnitOfWork
from carbon_shared.events.reporting_events import DataQualityFlagged, FalsificationSuspected

AUTOMATIC = "system"
DATA_QUALITY = "data_quality"
FALSIFICATION = "falsification"


async def quality_flags(
    uow: UnitOfWork, *, stored: StoredReport, previous_verified_tco2e: Decimal | None, listed: bool
) -> tuple[QualityFlag, ...]:
    """Every automatic flag the report raises now; the caller read last year's verified figure and the
    listing with the report row (`reports.submission_columns`), so only a listed unit costs a query more."""
    report, thresholds = stored.report, quality_thresholds()
    activity = activity_from_document(stored.activity)
    found = list(check_fuel_parameters(activity=activity, fuels=current_accounting().fuels))
    found += check_year_on_year(
        current_tco2e=stored.calculated_emissions_tco2e,
        previous_verified_tco2e=previous_verified_tco2e,
        thresholds=thresholds,
    )
    if listed:
        monthly = await ledgers.monthly_emissions(
            uow.session, enterprise_id=report.enterprise_id, year=report.year
        )
        found += check_ledger_consistency(
            annual_total_tco2e=stored.calculated_emissions_tco2e, monthly_tco2e=monthly, thresholds=thresholds
        )
    return tuple(found)


async def flag_on_submit(
    uow: UnitOfWork, *, stored: StoredReport, previous_verified_tco2e: Decimal | None, listed: bool
) -> tuple[QualityFlag, ...]:
    found = await quality_flags(
        uow, stored=stored, previous_verified_tco2e=previous_verified_tco2e, listed=listed
    )
    now = dt.datetime.now(dt.UTC)
    await reports.insert_flags(
        uow.session,
        [
            {
                "report_id": stored.id,
                "kind": DATA_QUALITY,
                "check_code": flag.check.value,
                "detail": flag.detail,
                "flagged_by": AUTOMATIC,
                "at": now,
            }
            for flag in found
        ],
    )
    for flag in found:
        await uow.emit(
            DataQualityFlagged(
                report_id=stored.id,
                enterprise_id=stored.report.enterprise_id,
                year=stored.report.year,
                check=flag.check.value,
                detail=flag.detail,
            )
        )
    return found


async def mark_falsification(uow: UnitOfWork, *, actor: Actor, report_id: str, reason: str) -> StoredReport:
    """The regulator's suspicion: stored as a flag, the report marked, `FalsificationSuspected` emitted."""
    locked = await reports.lock_report(uow.session, report_id)
    if locked is None:
        raise ReportNotFound(f"no report {report_id}")
    stored, _ = locked
    suspicion = suspect_falsification(
        report=stored.report, actor=actor, reason=reason, at=dt.datetime.now(dt.UTC)
    )
    await reports.insert_flags(
        uow.session,
        [
            {
                "report_id": report_id,
                "kind": FALSIFICATION,
                "check_code": "falsification_suspected",
                "detail": reason,
                "flagged_by": actor.subject,
                "at": suspicion.at,
            }
        ],
    )
    updated = await reports.save_state(
        uow.session, stored, stored.report, at=suspicion.at, falsification_suspected=True
    )
    await uow.emit(
        FalsificationSuspected(
            report_id=report_id,
            enterprise_id=suspicion.enterprise_id,
            year=suspicion.year,
            reason=suspicion.reason,
            flagged_by=suspicion.flagged_by,
        )
    )
    return updated
