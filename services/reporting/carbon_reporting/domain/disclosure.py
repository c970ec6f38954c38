"""Public disclosure of a verified report (seed task 5, 企业环境信息依法披露): a pure projection.

The public sees the enterprise, the year, the latest verified revision and its verified emissions, and
the facilities with the emissions each reported. Activity data, measured factors and verifier opinions
are not disclosed: they are commercial data handled by the regulator.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from carbon_reporting.domain.accounting import EmissionsResult
from carbon_reporting.domain.errors import ReportNotVerified
from carbon_reporting.domain.lifecycle import Report


@dataclass(frozen=True)
class DisclosedFacility:
    name: str
    reported_emissions_tco2e: Decimal
    fuels: tuple[str, ...]


@dataclass(frozen=True)
class Disclosure:
    report_id: str
    enterprise_id: str
    enterprise_name: str
    year: int
    revision: int
    verified_emissions_tco2e: Decimal
    facilities: tuple[DisclosedFacility, ...]


def disclose(*, report: Report, enterprise_name: str, emissions: EmissionsResult) -> Disclosure:
    """Project a verified report for the public; a report never verified raises `ReportNotVerified`.

    A report under re-check (or returned during one) still discloses its last verified revision, which
    stands until a higher revision corrects it.
    """
    if report.verified_emissions_tco2e is None or report.revision < 1:
        raise ReportNotVerified(f"report {report.report_id} has no verified result to disclose")
    facilities = tuple(
        DisclosedFacility(
            name=facility.name,
            reported_emissions_tco2e=facility.total_tco2e,
            fuels=tuple(sorted({line.fuel for line in facility.fuels})),
        )
        for facility in emissions.facilities
    )
    return Disclosure(
        report_id=report.report_id,
        enterprise_id=report.enterprise_id,
        enterprise_name=enterprise_name,
        year=report.year,
        revision=report.revision,
        verified_emissions_tco2e=report.verified_emissions_tco2e,
        facilities=facilities,
    )
