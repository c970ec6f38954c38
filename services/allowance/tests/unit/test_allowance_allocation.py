"""Power-unit allocation calculator (DOMAIN rule 5) against hand-computed cases."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_allowance.domain.allocation import (
    AllocationResult,
    LoadFactorOrigin,
    PowerUnitInput,
    TopUpKind,
    calculate_power_allocation,
    category_from_code,
    load_factor_from_load_rate,
    pre_allocation,
)
from carbon_allowance.domain.errors import InvalidInput, ReferenceDataMissing
from carbon_allowance.domain.rules import UnitCategory
from carbon_allowance.reference.loader import load_power_allocation_rules

RULES = load_power_allocation_rules()


def unit(category: str, year: int = 2023, **overrides: object) -> PowerUnitInput:
    fields: dict[str, object] = {
        "year": year,
        "category": UnitCategory(category),
        "electricity_generated_mwh": D("100000"),
        "heat_supplied_gj": D("0"),
    }
    fields.update(overrides)
    return PowerUnitInput(**fields)  # type: ignore[arg-type]


def figures(result: AllocationResult) -> tuple[int, int, int]:
    return result.benchmark_allocation, result.top_up, result.final_allocation


def calc(**kwargs: object) -> AllocationResult:
    return calculate_power_allocation(unit=unit(**kwargs), rules=RULES)  # type: ignore[arg-type]


class TestBenchmarkAllocationPerCategory:
    def test_category_i_2023_with_heat(self) -> None:
        # 1,000,000 MWh * 0.7950 * 1 = 795,000 ; 500,000 GJ * 0.1038 = 51,900 ; total 846,900
        result = calc(category="I", electricity_generated_mwh=D("1000000"), heat_supplied_gj=D("500000"))
        assert result.benchmark_allocation == 846_900
        assert result.final_allocation == 846_900
        assert result.top_up == 0
        assert result.breakdown.electricity_part_tco2 == D("795000")
        assert result.breakdown.heat_part_tco2 == D("51900")

    def test_category_ii_2023(self) -> None:
        # 100,000 * 0.8090 = 80,900 ; 10,000 GJ * 0.1038 = 1,038 ; total 81,938
        result = calc(category="II", heat_supplied_gj=D("10000"))
        assert result.benchmark_allocation == 81_938

    def test_category_iii_2024_rounds_down(self) -> None:
        # 200,000 * 0.8244 = 164,880 ; 12,345.6 * 0.1033 = 1,275.30048 ; 166,155.30048 -> 166,155
        result = calc(
            category="III",
            year=2024,
            electricity_generated_mwh=D("200000"),
            heat_supplied_gj=D("12345.6"),
        )
        assert result.breakdown.benchmark_allocation_exact == D("166155.30048")
        assert result.benchmark_allocation == 166_155

    def test_category_iv_gas_2023_uses_gas_heat_benchmark(self) -> None:
        # 300,000 * 0.3305 = 99,150 ; 20,000 GJ * 0.0536 = 1,072 ; total 100,222
        result = calc(category="IV", electricity_generated_mwh=D("300000"), heat_supplied_gj=D("20000"))
        assert result.benchmark_allocation == 100_222
        assert result.breakdown.heat_benchmark_tco2_per_gj == D("0.0536")
        assert result.breakdown.load_factor_origin is LoadFactorOrigin.NOT_APPLICABLE

    def test_category_iv_gas_2024(self) -> None:
        # 300,000 * 0.3288 = 98,640 ; 20,000 * 0.0533 = 1,066 ; total 99,706
        result = calc(
            category="IV", year=2024, electricity_generated_mwh=D("300000"), heat_supplied_gj=D("20000")
        )
        assert result.benchmark_allocation == 99_706

    def test_breakdown_cites_reference_version(self) -> None:
        result = calc(category="I")
        assert result.breakdown.reference.version == "2023-2024.1"
        assert result.breakdown.electricity_benchmark_tco2_per_mwh == D("0.7950")

    def test_uses_the_rule_table_it_is_given(self) -> None:
        # a replay under another table: category I 2023 benchmark set to 0.8000 -> 100,000 * 0.8 = 80,000
        year = RULES.years[2023]
        electricity = {**year.electricity, UnitCategory.I: D("0.8000")}
        other = dataclasses.replace(RULES, years={2023: dataclasses.replace(year, electricity=electricity)})
        assert calculate_power_allocation(unit=unit("I"), rules=other).benchmark_allocation == 80_000


class TestLoadCorrection:
    def test_given_load_factor_multiplies_electricity_only(self) -> None:
        # 1,000,000 * 0.7950 * 1.007 = 800,565 ; heat 1,000 * 0.1038 = 103.8 ; 800,668.8 -> 800,668
        result = calc(
            category="I",
            electricity_generated_mwh=D("1000000"),
            heat_supplied_gj=D("1000"),
            load_factor=D("1.007"),
        )
        assert result.benchmark_allocation == 800_668
        assert result.breakdown.load_factor_origin is LoadFactorOrigin.GIVEN

    def test_load_rate_drives_the_factor_and_result_is_floored(self) -> None:
        # rate 0.78: Ff = 1.007 + 0.0016 * (80 - 78) = 1.0102
        # 100,000 * 0.8049 * 1.0102 = 81,310.998 -> 81,310 (floored, not rounded)
        result = calc(category="II", year=2024, load_rate=D("0.78"))
        assert result.breakdown.load_factor == D("1.0102")
        assert result.benchmark_allocation == 81_310

    @pytest.mark.parametrize(
        ("rate", "expected"),
        [
            (D("1"), D("1")),
            (D("0.85"), D("1")),  # >= 85% -> 1
            (D("0.82"), D("1.0042")),  # 1 + 0.0014 * (85 - 82)
            (D("0.80"), D("1.007")),  # 1 + 0.0014 * 5 (80% belongs to the 80-85 band)
            (D("0.78"), D("1.0102")),  # 1.007 + 0.0016 * 2
            (D("0.75"), D("1.015")),  # 1.007 + 0.0016 * 5
            (D("0.70"), D("1.030225")),  # 1.015 ** (16 - 14) = 1.015^2
            (D("0.65"), D("1.045678375")),  # 1.015 ** 3
        ],
    )
    def test_piecewise_table(self, rate: D, expected: D) -> None:
        assert load_factor_from_load_rate(load_rate=rate, rules=RULES) == expected

    def test_fractional_exponent(self) -> None:
        # 0.725: 1.015 ** 1.5 = sqrt(1.045678375) = 1.0225841...
        value = load_factor_from_load_rate(load_rate=D("0.725"), rules=RULES)
        assert abs(value - D("1.0225841")) < D("0.0000001")

    def test_zero_load_stays_under_the_maximum(self) -> None:
        # 1.015 ** 16 = 1.26899...  <= max 1.2690
        value = load_factor_from_load_rate(load_rate=D("0"), rules=RULES)
        assert D("1.2689") < value <= RULES.max_load_factor

    @given(st.decimals(min_value=0, max_value=1, places=4))
    def test_factor_never_rises_with_load_and_stays_in_range(self, rate: D) -> None:
        higher = min(rate + D("0.0001"), D(1))
        here = load_factor_from_load_rate(load_rate=rate, rules=RULES)
        assert load_factor_from_load_rate(load_rate=higher, rules=RULES) <= here
        assert D(1) <= here <= RULES.max_load_factor

    @pytest.mark.parametrize("edge", [D("0.85"), D("0.80"), D("0.75")])
    def test_table_is_continuous_at_band_edges(self, edge: D) -> None:
        below = load_factor_from_load_rate(load_rate=edge - D("0.000001"), rules=RULES)
        at = load_factor_from_load_rate(load_rate=edge, rules=RULES)
        assert abs(below - at) < D("0.0001")

    def test_default_factor_is_one(self) -> None:
        result = calc(category="I")
        assert result.breakdown.load_factor == 1
        assert result.breakdown.load_factor_origin is LoadFactorOrigin.DEFAULT

    @pytest.mark.parametrize("factor", [D("0.99"), D("1.2691"), D("2")])
    def test_factor_out_of_range_is_rejected(self, factor: D) -> None:
        with pytest.raises(InvalidInput, match="between 1 and 1.2690"):
            calc(category="I", load_factor=factor)

    def test_maximum_itself_is_accepted(self) -> None:
        # 100,000 * 0.7950 * 1.2690 = 100,885.5 -> 100,885
        assert calc(category="I", load_factor=D("1.2690")).benchmark_allocation == 100_885

    @pytest.mark.parametrize("rate", [D("-0.01"), D("1.01"), D("85")])
    def test_load_rate_outside_zero_to_one_is_rejected(self, rate: D) -> None:
        with pytest.raises(InvalidInput, match="between 0 and 1"):
            calc(category="I", load_rate=rate)

    def test_both_factor_and_rate_is_rejected(self) -> None:
        with pytest.raises(InvalidInput, match="either load_factor or load_rate"):
            calc(category="I", load_factor=D("1.01"), load_rate=D("0.8"))

    def test_gas_unit_rejects_a_load_correction(self) -> None:
        with pytest.raises(InvalidInput, match="gas units"):
            calc(category="IV", load_factor=D("1.01"))
        with pytest.raises(InvalidInput, match="gas units"):
            calc(category="IV", load_rate=D("0.7"))

    def test_gas_unit_accepts_a_neutral_factor_of_one(self) -> None:
        # 100,000 * 0.3305 = 33,050
        assert calc(category="IV", load_factor=D("1")).benchmark_allocation == 33_050


class TestGasTopUp:
    def test_gas_unit_below_verified_is_topped_up_to_them(self) -> None:
        # allocation 100,222 (see above); verified 120,000.5 -> final floor(120,000.5) = 120,000
        # top_up = 120,000 - 100,222 = 19,778
        result = calc(
            category="IV",
            electricity_generated_mwh=D("300000"),
            heat_supplied_gj=D("20000"),
            verified_emissions_tco2e=D("120000.5"),
        )
        assert figures(result) == (100_222, 19_778, 120_000)
        assert result.breakdown.top_up_kind is TopUpKind.GAS

    def test_gas_unit_above_verified_keeps_its_allocation(self) -> None:
        # 300,000 * 0.3305 = 99,150 >= 90,000 verified
        result = calc(
            category="IV", electricity_generated_mwh=D("300000"), verified_emissions_tco2e=D("90000")
        )
        assert (result.top_up, result.final_allocation) == (0, 99_150)
        assert result.breakdown.top_up_kind is TopUpKind.NONE

    def test_coal_unit_gets_no_gas_top_up(self) -> None:
        # 100,000 * 0.7950 = 79,500 ; verified 90,000 -> 80% = 72,000 < 79,500 : nothing
        result = calc(category="I", verified_emissions_tco2e=D("90000"))
        assert (result.top_up, result.final_allocation) == (0, 79_500)
        assert result.breakdown.top_up_kind is TopUpKind.NONE


class TestEightyPercentFloor:
    def test_coal_unit_below_80_percent_is_topped_up_to_80(self) -> None:
        # 79,500 < 0.8 * 110,000 = 88,000 -> top_up 8,500 ; the unit bears a 20% gap
        result = calc(category="I", verified_emissions_tco2e=D("110000"))
        assert figures(result) == (79_500, 8_500, 88_000)
        assert result.breakdown.top_up_kind is TopUpKind.FLOOR
        assert result.breakdown.top_up_target_exact == D("88000.00")

    def test_exactly_80_percent_needs_no_top_up(self) -> None:
        # 0.8 * 99,375 = 79,500 = allocation
        result = calc(category="I", verified_emissions_tco2e=D("99375"))
        assert result.top_up == 0
        assert result.breakdown.top_up_kind is TopUpKind.NONE

    def test_fractional_target_is_floored(self) -> None:
        # 10,000 * 0.8090 = 8,090 ; 0.8 * 10,200.9 = 8,160.72 -> 8,160 ; top_up 70
        result = calc(
            category="II", electricity_generated_mwh=D("10000"), verified_emissions_tco2e=D("10200.9")
        )
        assert (result.top_up, result.final_allocation) == (70, 8_160)

    def test_no_verified_emissions_means_no_top_up(self) -> None:
        result = calc(category="I")
        assert result.top_up == 0
        assert result.breakdown.top_up_target_exact is None

    @given(
        mwh=st.decimals(min_value=0, max_value=10_000_000, places=3),
        verified=st.decimals(min_value=0, max_value=10_000_000, places=3),
        category=st.sampled_from(list(UnitCategory)),
    )
    def test_parts_add_up_and_floor_holds(self, mwh: D, verified: D, category: UnitCategory) -> None:
        result = calculate_power_allocation(
            unit=unit(category.value, electricity_generated_mwh=mwh, verified_emissions_tco2e=verified),
            rules=RULES,
        )
        assert result.final_allocation == result.benchmark_allocation + result.top_up
        assert result.top_up >= 0
        assert result.final_allocation >= int(verified * D("0.8"))  # floor of the 80% target
        if category is UnitCategory.IV:
            assert result.final_allocation >= int(verified)


class TestPreAllocation:
    def test_seventy_percent_rounded_down(self) -> None:
        # 0.70 * 100,001 = 70,000.7 -> 70,000
        assert calc(category="I", previous_year_verified_tco2e=D("100001")).pre_allocation == 70_000

    def test_null_without_previous_year(self) -> None:
        assert calc(category="I").pre_allocation is None

    def test_pure_function(self) -> None:
        # 0.70 * 12,345.67 = 8,641.969 -> 8,641
        assert pre_allocation(previous_year_tco2e=D("12345.67"), rules=RULES) == 8_641

    def test_negative_is_rejected(self) -> None:
        with pytest.raises(InvalidInput, match="previous_year_verified_tco2e"):
            pre_allocation(previous_year_tco2e=D("-1"), rules=RULES)


class TestAllocationErrors:
    @pytest.mark.parametrize("year", [2021, 2022, 2025])
    def test_year_without_benchmarks(self, year: int) -> None:
        with pytest.raises(ReferenceDataMissing, match=f"no power benchmarks for {year}") as caught:
            calc(category="I", year=year)
        assert caught.value.code == "reference_data_missing"
        assert "2023, 2024" in caught.value.message

    def test_unknown_category(self) -> None:
        with pytest.raises(ReferenceDataMissing, match="categories are I, II, III, IV"):
            category_from_code("V")
        assert category_from_code("III") is UnitCategory.III

    @pytest.mark.parametrize(
        "field", ["electricity_generated_mwh", "heat_supplied_gj", "verified_emissions_tco2e"]
    )
    def test_negative_quantities(self, field: str) -> None:
        with pytest.raises(InvalidInput, match=field):
            calc(category="I", **{field: D("-0.001")})
