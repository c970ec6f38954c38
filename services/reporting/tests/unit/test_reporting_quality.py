"""Data-quality flags (seed task 2) against the 2023.1 thresholds (5 % ledger gap, 30 % year-on-year)."""

from __future__ import annotations

from decimal import Decimal as D

from carbon_reporting.domain.activity import FuelLine, single_facility_activity
from carbon_reporting.domain.quality import (
    QualityCheck,
    check_fuel_parameters,
    check_ledger_consistency,
    check_year_on_year,
)
from carbon_reporting.reference import load_fuel_table, load_quality_thresholds

FUELS = load_fuel_table("2022.1")
THRESHOLDS = load_quality_thresholds("2023.1")


def months(value: str, count: int = 12) -> dict[int, D]:
    return {month: D(value) for month in range(1, count + 1)}


class TestFuelParameterRanges:
    def test_values_inside_ranges_raise_nothing(self) -> None:
        line = FuelLine("bituminous_coal", D(1), "t", ncv_gj_per_unit=D(20), cc_tc_per_gj=D("0.026"))
        assert check_fuel_parameters(activity=single_facility_activity(fuels=(line,)), fuels=FUELS) == ()

    def test_ncv_and_cc_outside_ranges(self) -> None:
        # bituminous NCV range [12, 30], cc range [0.0240, 0.0300]
        line = FuelLine("bituminous_coal", D(1), "t", ncv_gj_per_unit=D(31), cc_tc_per_gj=D("0.02"))
        flags = check_fuel_parameters(activity=single_facility_activity(fuels=(line,)), fuels=FUELS)
        assert [flag.check for flag in flags] == [
            QualityCheck.NCV_OUT_OF_RANGE,
            QualityCheck.CARBON_CONTENT_OUT_OF_RANGE,
        ]
        assert "fuels[0].ncv_gj_per_unit = 31" in flags[0].detail

    def test_carbon_per_unit_range_is_derived(self) -> None:
        # [12 * 0.0240, 30 * 0.0300] = [0.288, 0.900]: 0.55 passes, 0.95 is flagged
        ok = FuelLine("bituminous_coal", D(1), "t", carbon_tc_per_unit=D("0.55"))
        high = FuelLine("bituminous_coal", D(1), "t", carbon_tc_per_unit=D("0.95"))
        flags = check_fuel_parameters(activity=single_facility_activity(fuels=(ok, high)), fuels=FUELS)
        assert len(flags) == 1 and "fuels[1].carbon_tc_per_unit" in flags[0].detail


class TestLedgerConsistency:
    def test_exact_match(self) -> None:
        assert (
            check_ledger_consistency(
                annual_total_tco2e=D(1200), monthly_tco2e=months("100"), thresholds=THRESHOLDS
            )
            == ()
        )

    def test_gap_of_exactly_five_percent_is_not_flagged(self) -> None:
        # 12 * 105 = 1,260; gap 60 = 5 % of 1,200
        assert (
            check_ledger_consistency(
                annual_total_tco2e=D(1200), monthly_tco2e=months("105"), thresholds=THRESHOLDS
            )
            == ()
        )

    def test_gap_beyond_five_percent_is_flagged(self) -> None:
        # 12 * 106 = 1,272; gap 72 > 60
        flags = check_ledger_consistency(
            annual_total_tco2e=D(1200), monthly_tco2e=months("106"), thresholds=THRESHOLDS
        )
        assert [flag.check for flag in flags] == [QualityCheck.LEDGER_MISMATCH]
        assert "gap 72 t" in flags[0].detail

    def test_missing_month_is_flagged_too(self) -> None:
        # 11 * 100 = 1,100; gap 100 > 60
        flags = check_ledger_consistency(
            annual_total_tco2e=D(1200), monthly_tco2e=months("100", 11), thresholds=THRESHOLDS
        )
        assert [flag.check for flag in flags] == [
            QualityCheck.LEDGER_INCOMPLETE,
            QualityCheck.LEDGER_MISMATCH,
        ]
        assert "[12]" in flags[0].detail

    def test_zero_annual_with_ledger_emissions_is_flagged(self) -> None:
        flags = check_ledger_consistency(
            annual_total_tco2e=D(0), monthly_tco2e=months("1"), thresholds=THRESHOLDS
        )
        assert [flag.check for flag in flags] == [QualityCheck.LEDGER_MISMATCH]


class TestYearOnYear:
    def test_no_previous_year_no_flag(self) -> None:
        assert (
            check_year_on_year(current_tco2e=D(5), previous_verified_tco2e=None, thresholds=THRESHOLDS) == ()
        )

    def test_thirty_percent_exactly_is_not_flagged(self) -> None:
        # 1,300 vs 1,000: +300 = 30 %; 700 vs 1,000: -300 = 30 %
        for current in (D(1300), D(700)):
            assert (
                check_year_on_year(
                    current_tco2e=current, previous_verified_tco2e=D(1000), thresholds=THRESHOLDS
                )
                == ()
            )

    def test_beyond_thirty_percent_either_way_is_flagged(self) -> None:
        for current in (D(1301), D(699)):
            flags = check_year_on_year(
                current_tco2e=current, previous_verified_tco2e=D(1000), thresholds=THRESHOLDS
            )
            assert [flag.check for flag in flags] == [QualityCheck.YEAR_ON_YEAR_JUMP]

    def test_rise_from_zero_is_flagged(self) -> None:
        assert check_year_on_year(current_tco2e=D(5), previous_verified_tco2e=D(0), thresholds=THRESHOLDS)
