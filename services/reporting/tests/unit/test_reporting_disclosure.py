"""Public disclosure projection of a verified report (seed task 5)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from carbon_reporting.domain.accounting import EmissionsResult, calculate_emissions
from carbon_reporting.domain.activity import Facility, FuelLine, ReportActivity
from carbon_reporting.domain.disclosure import DisclosedFacility, disclose
from carbon_reporting.domain.errors import ReportNotVerified
from carbon_reporting.domain.lifecycle import Report, ReportStatus
from carbon_reporting.reference import load_accounting_rules, load_fuel_table, load_process_factors


def emissions() -> EmissionsResult:
    unit1 = Facility(
        "1号机组",
        fuels=(
            FuelLine("bituminous_coal", D(100000), "t", carbon_tc_per_unit=D("0.55")),
            FuelLine("diesel", D(10), "t"),
        ),
    )
    activity = ReportActivity((unit1,))
    return calculate_emissions(
        activity=activity,
        year=2024,
        fuels=load_fuel_table("2022.1"),
        rules=load_accounting_rules("2023.1"),
        processes=load_process_factors("2023.1"),
    )


VERIFIED = Report(
    report_id="R1",
    enterprise_id="E1",
    year=2024,
    status=ReportStatus.VERIFIED,
    revision=2,
    verified_emissions_tco2e=D("199700.00"),
)


class TestDisclose:
    def test_projection_of_a_verified_report(self) -> None:
        disclosure = disclose(report=VERIFIED, enterprise_name="中卫电厂", emissions=emissions())
        assert (disclosure.enterprise_id, disclosure.enterprise_name, disclosure.year) == (
            "E1",
            "中卫电厂",
            2024,
        )
        assert (disclosure.revision, disclosure.verified_emissions_tco2e) == (2, D("199700.00"))
        # 199,650.00 (coal, measured) + 30.96 (10 t diesel, defaults) = 199,680.96 reported
        assert disclosure.facilities == (
            DisclosedFacility("1号机组", D("199680.96"), ("bituminous_coal", "diesel")),
        )

    def test_last_verified_revision_stands_during_a_recheck(self) -> None:
        under_recheck = replace(VERIFIED, status=ReportStatus.RECHECK_ORDERED)
        assert disclose(report=under_recheck, enterprise_name="x", emissions=emissions()).revision == 2

    @pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.SUBMITTED])
    def test_never_verified_report_is_refused(self, status: ReportStatus) -> None:
        report = Report(report_id="R1", enterprise_id="E1", year=2024, status=status)
        with pytest.raises(ReportNotVerified):
            disclose(report=report, enterprise_name="x", emissions=emissions())
