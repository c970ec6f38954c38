"""Public disclosure (seed task 5) and bulk export for the regulator and the region.

Disclosure replays each report's calculation under the reference versions its breakdown names, so the
facilities shown are exactly those accounted, and projects it with the domain's `disclose` (which hides
activity data, measured factors and opinions).
"""

from __future__ import annotations

from carbon_reporting.db import readmodels, reports
from carbon_reporting.db.reports import ReportFilter, StoredReport
from carbon_reporting.domain.accounting import calculate_emissions
from carbon_reporting.domain.disclosure import Disclosure, disclose
from carbon_reporting.domain.errors import ActionForbidden
from carbon_reporting.domain.policy import Actor, Role
from carbon_reporting.service.codec import activity_from_document
from carbon_reporting.service.reference import pinned_accounting
from carbon_shared.db import UnitOfWork

EXPORT_COLUMNS = (
    "report_id",
    "enterprise_id",
    "enterprise_name",
    "year",
    "status",
    "revision",
    "calculated_emissions_tco2e",
    "verified_emissions_tco2e",
    "verified_on",
    "assigned_agency_id",
    "falsification_suspected",
)
_EXPORTERS = frozenset({Role.REGULATOR, Role.REGION})


async def disclosures(uow: UnitOfWork, *, year: int, after_id: str | None, limit: int) -> list[Disclosure]:
    """Verified reports of `year`, `limit + 1` of them after `after_id`, as the public sees them."""
    rows = await reports.list_reports(
        uow.session, ReportFilter(year=year, verified_only=True), after_id=after_id, limit=limit + 1
    )
    names = await readmodels.enterprise_names(uow.session, {row.report.enterprise_id for row in rows})
    return [_disclosed(row, names.get(row.report.enterprise_id, "")) for row in rows]


def _disclosed(stored: StoredReport, enterprise_name: str) -> Disclosure:
    tables = pinned_accounting(stored.breakdown["reference"])
    emissions = calculate_emissions(
        activity=activity_from_document(stored.activity),
        year=stored.report.year,
        fuels=tables.fuels,
        rules=tables.rules,
        processes=tables.processes,
    )
    return disclose(report=stored.report, enterprise_name=enterprise_name, emissions=emissions)


async def export_rows(uow: UnitOfWork, *, actor: Actor, year: int) -> list[tuple[object, ...]]:
    """Every report of `year` as one row of `EXPORT_COLUMNS` (regulator and region only)."""
    if actor.role not in _EXPORTERS:
        raise ActionForbidden("only the regulator and the region export reports")
    rows = await reports.list_reports(uow.session, ReportFilter(year=year), after_id=None, limit=None)
    names = await readmodels.enterprise_names(uow.session, {row.report.enterprise_id for row in rows})
    return [_export_row(row, names.get(row.report.enterprise_id, "")) for row in rows]


def _export_row(stored: StoredReport, enterprise_name: str) -> tuple[object, ...]:
    report = stored.report
    return (
        report.report_id,
        report.enterprise_id,
        enterprise_name,
        report.year,
        report.status.value,
        report.revision,
        stored.calculated_emissions_tco2e,
        report.verified_emissions_tco2e,
        stored.verified_on,
        report.assigned_agency_id,
        stored.falsification_suspected,
    )
