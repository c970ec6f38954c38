"""Accounting engine (DOMAIN rule 4) against hand-computed values; reference tables pinned by version."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_reporting.domain.accounting import (
    AccountingPath,
    EmissionsResult,
    FuelLineResult,
    calculate_emissions,
    round_line,
)
from carbon_reporting.domain.activity import (
    Facility,
    FuelLine,
    ProcessLine,
    ReportActivity,
    single_facility_activity,
)
from carbon_reporting.domain.errors import InvalidActivityData, ReferenceYearMissing
from carbon_reporting.reference import load_accounting_rules, load_fuel_table, load_process_factors

FUELS = load_fuel_table("2022.1")
RULES = load_accounting_rules("2023.1")
PROCESSES = load_process_factors("2023.1")


def account(*fuels: FuelLine, year: int = 2024, **flat: object) -> EmissionsResult:
    activity = single_facility_activity(fuels=fuels, **flat)  # type: ignore[arg-type]
    return calculate_emissions(activity=activity, year=year, fuels=FUELS, rules=RULES, processes=PROCESSES)


def only_line(result: EmissionsResult) -> FuelLineResult:
    (facility,) = result.facilities
    (line,) = facility.fuels
    return line


class TestMeasuredCarbon:
    def test_issue_example_coal_with_measured_carbon(self) -> None:
        # 100,000 t * 0.55 tC/t * 0.99 * 44/12 = 54,450 tC * 44/12 = 199,650 tCO2e exactly
        result = account(
            FuelLine("bituminous_coal", D(100000), "t", carbon_tc_per_unit=D("0.55"), oxidation=D("0.99"))
        )
        assert result.total_tco2e == D("199650.00")
        line = only_line(result)
        assert line.path is AccountingPath.MEASURED
        assert line.defaults_used == ()

    def test_measured_carbon_wins_over_ncv_and_cc(self) -> None:
        # 10 t * 0.6 * 1 * 44/12 = 22.00; the given NCV and cc are ignored
        line = only_line(
            account(
                FuelLine(
                    "lignite",
                    D(10),
                    "t",
                    carbon_tc_per_unit=D("0.6"),
                    ncv_gj_per_unit=D(99),
                    cc_tc_per_gj=D("0.5"),
                    oxidation=D(1),
                )
            )
        )
        assert line.emissions_tco2e == D("22.00")
        assert line.ncv_gj_per_unit is None and line.cc_tc_per_gj is None

    def test_missing_oxidation_takes_coal_default_without_changing_path(self) -> None:
        # coal default oxidation 0.99: same 199,650 as the issue example
        line = only_line(account(FuelLine("bituminous_coal", D(100000), "t", carbon_tc_per_unit=D("0.55"))))
        assert line.emissions_tco2e == D("199650.00")
        assert line.oxidation == D("0.99")
        assert line.path is AccountingPath.MEASURED
        assert line.defaults_used == ("oxidation",)

    def test_division_by_twelve_is_done_last_at_full_precision(self) -> None:
        # 1e9 t * 1 tC/t * 1 * 44/12 = 3,666,666,666.666... -> 3,666,666,666.67
        line = only_line(
            account(FuelLine("anthracite", D(10**9), "t", carbon_tc_per_unit=D(1), oxidation=D(1)))
        )
        assert line.emissions_tco2e == D("3666666666.67")

    def test_zero_amount_gives_zero(self) -> None:
        assert account(FuelLine("diesel", D(0), "t")).total_tco2e == D("0.00")


class TestNcvTimesCarbonPerHeat:
    def test_gas_with_both_measured(self) -> None:
        # 100 x 10^4Nm3 * 380 GJ = 38,000 GJ; * 0.0150 = 570 tC; * 0.99 = 564.3; * 44/12 = 2,069.10
        line = only_line(
            account(
                FuelLine(
                    "natural_gas",
                    D(100),
                    "10^4Nm3",
                    ncv_gj_per_unit=D(380),
                    cc_tc_per_gj=D("0.0150"),
                    oxidation=D("0.99"),
                )
            )
        )
        assert line.emissions_tco2e == D("2069.10")
        assert line.path is AccountingPath.NCV_CC

    def test_all_defaults_for_diesel(self) -> None:
        # 10 t * 42.652 GJ/t = 426.52 GJ; * 0.02020 = 8.615704 tC; * 0.98 = 8.44338992;
        # * 44 = 371.50915648; / 12 = 30.959096... -> 30.96
        line = only_line(account(FuelLine("diesel", D(10), "t")))
        assert line.emissions_tco2e == D("30.96")
        assert line.path is AccountingPath.DEFAULT
        assert line.defaults_used == ("ncv_gj_per_unit", "cc_tc_per_gj", "oxidation")
        assert (line.ncv_gj_per_unit, line.cc_tc_per_gj, line.oxidation) == (
            D("42.652"),
            D("0.02020"),
            D("0.98"),
        )

    def test_coal_with_measured_cc_but_default_ncv_is_default_path(self) -> None:
        # 100 t * 20.304 = 2,030.4 GJ; * 0.027 = 54.8208 tC; * 0.99 = 54.272592;
        # * 44/12 = 198.999504 -> 199.00
        line = only_line(account(FuelLine("anthracite", D(100), "t", cc_tc_per_gj=D("0.027"))))
        assert line.emissions_tco2e == D("199.00")
        assert line.path is AccountingPath.DEFAULT
        assert line.defaults_used == ("ncv_gj_per_unit", "oxidation")


class TestPenaltyForUnmeasuredCoal:
    def test_unmeasured_coal_takes_the_penalty_carbon_content(self) -> None:
        # 1,000 t * 20 GJ/t = 20,000 GJ; * 0.03085 = 617 tC; * 0.99 = 610.83; * 44/12 = 2,239.71
        line = only_line(account(FuelLine("bituminous_coal", D(1000), "t", ncv_gj_per_unit=D(20))))
        assert line.emissions_tco2e == D("2239.71")
        assert line.path is AccountingPath.PENALTY
        assert line.cc_tc_per_gj == D("0.03085")

    def test_penalty_is_higher_than_the_ordinary_default(self) -> None:
        penalised = only_line(account(FuelLine("bituminous_coal", D(1000), "t"))).emissions_tco2e
        # ordinary default would be 1,000 * 19.570 * 0.02618 * 0.99 * 44/12 = 1,859.80
        assert penalised > D("1859.80")

    def test_penalty_follows_the_reporting_year(self) -> None:
        # 2021 rule: 20,000 GJ * 0.03356 = 671.2 tC; * 0.99 = 664.488; * 44/12 = 2,436.456 -> 2,436.46
        line = only_line(account(FuelLine("lignite", D(1000), "t", ncv_gj_per_unit=D(20)), year=2021))
        assert line.emissions_tco2e == D("2436.46")

    def test_non_coal_without_cc_is_not_penalised(self) -> None:
        assert only_line(account(FuelLine("coke", D(1), "t"))).path is AccountingPath.DEFAULT


class TestPurchasedElectricity:
    def test_counted_with_the_2022_grid_factor(self) -> None:
        # 1,000 MWh * 0.5703 t/MWh = 570.30
        result = account(year=2022, purchased_electricity_mwh=D(1000))
        electricity = result.facilities[0].electricity
        assert electricity is not None and electricity.counted
        assert electricity.emissions_tco2e == D("570.30")
        assert result.total_tco2e == D("570.30")

    def test_counted_with_the_2021_grid_factor(self) -> None:
        # 2.5 MWh * 0.5810 = 1.4525 -> 1.45
        assert account(year=2021, purchased_electricity_mwh=D("2.5")).total_tco2e == D("1.45")

    @pytest.mark.parametrize("year", [2023, 2024, 2025])
    def test_not_counted_from_2023(self, year: int) -> None:
        result = account(year=year, purchased_electricity_mwh=D(1000))
        electricity = result.facilities[0].electricity
        assert electricity is not None
        assert (electricity.counted, electricity.grid_factor_t_per_mwh) == (False, None)
        assert result.total_tco2e == D("0.00")

    def test_year_without_rule_is_refused(self) -> None:
        with pytest.raises(ReferenceYearMissing, match="2019"):
            account(year=2019, purchased_electricity_mwh=D(1))


class TestProcessEmissions:
    def test_reference_factor(self) -> None:
        # 1,000 t clinker * 0.52 = 520.00
        activity = ReportActivity((Facility("kiln", processes=(ProcessLine("cement_clinker", D(1000)),)),))
        result = calculate_emissions(
            activity=activity, year=2024, fuels=FUELS, rules=RULES, processes=PROCESSES
        )
        (line,) = result.facilities[0].processes
        assert (line.emissions_tco2e, line.measured_factor) == (D("520.00"), False)

    def test_measured_factor_overrides(self) -> None:
        # 1,000 t limestone * 0.43 = 430.00
        process = ProcessLine("limestone_decomposition", D(1000), emission_factor_tco2_per_unit=D("0.43"))
        activity = ReportActivity((Facility("lime", processes=(process,)),))
        result = calculate_emissions(
            activity=activity, year=2024, fuels=FUELS, rules=RULES, processes=PROCESSES
        )
        assert result.total_tco2e == D("430.00")
        assert result.facilities[0].processes[0].measured_factor


class TestRoundingRule:
    def test_half_up_not_bankers(self) -> None:
        assert round_line(D("0.005")) == D("0.01")
        assert round_line(D("0.015")) == D("0.02")
        assert round_line(D("0.0049999")) == D("0.00")

    def test_total_is_sum_of_rounded_lines(self) -> None:
        # two lines of exactly 0.005 t each: rounded 0.01 + 0.01 = 0.02 (rounding the sum would give 0.01)
        tiny = ProcessLine("limestone_decomposition", D(1), emission_factor_tco2_per_unit=D("0.005"))
        activity = ReportActivity((Facility("f", processes=(tiny, tiny)),))
        result = calculate_emissions(
            activity=activity, year=2024, fuels=FUELS, rules=RULES, processes=PROCESSES
        )
        assert result.total_tco2e == D("0.02")

    @given(
        amounts=st.lists(st.decimals(min_value=0, max_value=10**7, places=3), min_size=1, max_size=6),
        carbon=st.decimals(min_value=D("0.01"), max_value=1, places=4),
    )
    def test_breakdown_always_adds_up(self, amounts: list[D], carbon: D) -> None:
        lines = tuple(
            FuelLine("bituminous_coal", amount, "t", carbon_tc_per_unit=carbon) for amount in amounts
        )
        result = account(*lines)
        assert result.total_tco2e == sum(line.emissions_tco2e for line in result.facilities[0].fuels)
        for line, amount in zip(result.facilities[0].fuels, amounts, strict=True):
            exact = amount * carbon * D("0.99") * 44 / 12
            assert abs(line.emissions_tco2e - exact) <= D("0.005")


class TestMultiFacilityReports:
    def test_facilities_are_accounted_separately_and_summed(self) -> None:
        # unit 1: 199,650.00 (issue example); unit 2: 22.00 (10 t * 0.6 * 1 * 44/12); total 199,672.00
        unit1 = Facility(
            "unit 1", fuels=(FuelLine("bituminous_coal", D(100000), "t", carbon_tc_per_unit=D("0.55")),)
        )
        unit2 = Facility(
            "unit 2", fuels=(FuelLine("lignite", D(10), "t", carbon_tc_per_unit=D("0.6"), oxidation=D(1)),)
        )
        activity = ReportActivity((unit1, unit2))
        result = calculate_emissions(
            activity=activity, year=2024, fuels=FUELS, rules=RULES, processes=PROCESSES
        )
        assert [f.total_tco2e for f in result.facilities] == [D("199650.00"), D("22.00")]
        assert result.total_tco2e == D("199672.00")

    def test_result_names_the_reference_versions(self) -> None:
        reference = account(FuelLine("diesel", D(1), "t")).reference
        assert (reference.fuels, reference.accounting_rules, reference.process_factors) == (
            "2022.1",
            "2023.1",
            "2023.1",
        )


class TestValidation:
    def issues(self, *fuels: FuelLine) -> dict[str, str]:
        with pytest.raises(InvalidActivityData) as caught:
            account(*fuels)
        return {issue.loc: issue.msg for issue in caught.value.issues}

    def test_negative_amount(self) -> None:
        assert "fuels[0].amount" in self.issues(FuelLine("diesel", D(-1), "t"))

    def test_unknown_fuel_and_unit_are_both_reported(self) -> None:
        issues = self.issues(FuelLine("diesel", D(1), "t"), FuelLine("peat", D(1), "kg"))
        assert set(issues) == {"fuels[1].fuel", "fuels[1].unit"}
        assert "unknown unit 'kg'" in issues["fuels[1].unit"]

    def test_unit_not_allowed_for_the_fuel(self) -> None:
        issues = self.issues(FuelLine("natural_gas", D(1), "t"))
        assert issues == {"fuels[0].unit": "natural_gas is reported in 10^4Nm3, not t"}

    @pytest.mark.parametrize("oxidation", [D(0), D("-0.1"), D("1.01"), D("NaN")])
    def test_oxidation_outside_zero_one(self, oxidation: D) -> None:
        assert "fuels[2].oxidation" in self.issues(
            FuelLine("diesel", D(1), "t"),
            FuelLine("diesel", D(1), "t"),
            FuelLine("diesel", D(1), "t", oxidation=oxidation),
        )

    def test_oxidation_of_exactly_one_is_allowed(self) -> None:
        assert account(
            FuelLine("diesel", D(1), "t", carbon_tc_per_unit=D(3), oxidation=D(1))
        ).total_tco2e == D("11.00")

    def test_measured_values_must_be_positive(self) -> None:
        issues = self.issues(FuelLine("anthracite", D(1), "t", ncv_gj_per_unit=D(0), cc_tc_per_gj=D(-1)))
        assert set(issues) == {"fuels[0].ncv_gj_per_unit", "fuels[0].cc_tc_per_gj"}

    def test_multi_facility_locations_name_the_facility(self) -> None:
        bad = Facility("b", fuels=(FuelLine("diesel", D(-5), "t"),), purchased_electricity_mwh=D(-1))
        activity = ReportActivity((Facility("a"), bad, Facility("a")))
        with pytest.raises(InvalidActivityData) as caught:
            calculate_emissions(activity=activity, year=2024, fuels=FUELS, rules=RULES, processes=PROCESSES)
        locs = {issue.loc for issue in caught.value.issues}
        assert {"facilities[1].fuels[0].amount", "facilities[1].purchased_electricity_mwh"} <= locs
        assert "facilities[2].name" in locs

    def test_unknown_process_and_wrong_unit(self) -> None:
        activity = ReportActivity(
            (
                Facility(
                    "k", processes=(ProcessLine("smelting", D(1)), ProcessLine("cement_clinker", D(1), "kg"))
                ),
            )
        )
        with pytest.raises(InvalidActivityData) as caught:
            calculate_emissions(activity=activity, year=2024, fuels=FUELS, rules=RULES, processes=PROCESSES)
        assert {i.loc for i in caught.value.issues} == {
            "facilities[0].processes[0].process",
            "facilities[0].processes[1].unit",
        }

    def test_empty_report_is_refused(self) -> None:
        with pytest.raises(InvalidActivityData, match="at least one facility"):
            calculate_emissions(
                activity=ReportActivity(()), year=2024, fuels=FUELS, rules=RULES, processes=PROCESSES
            )
