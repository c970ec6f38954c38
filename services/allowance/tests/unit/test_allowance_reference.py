"""Reference tables: provenance headers, values as published, versions and the typed loader."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal as D
from importlib import resources

import pytest

from carbon_allowance.domain.errors import ReferenceDataInvalid, ReferenceVersionUnknown
from carbon_allowance.domain.rules import UnitCategory
from carbon_allowance.reference import _toml
from carbon_allowance.reference.loader import (
    CEA_PRICES,
    COMPLIANCE_CALENDAR,
    CURRENT_VERSIONS,
    POWER_ALLOCATION,
    SURRENDER_RULES,
    available_versions,
    load_compliance_calendar,
    load_power_allocation_rules,
    load_price_table,
    load_surrender_rules,
)

TABLES = [POWER_ALLOCATION, SURRENDER_RULES, COMPLIANCE_CALENDAR, CEA_PRICES]


class TestEveryFileDeclaresItsProvenance:
    @pytest.mark.parametrize("table", TABLES)
    def test_header(self, table: str) -> None:
        for version in available_versions(table):
            text = (
                resources.files("carbon_allowance.reference").joinpath(table, f"{version}.toml").read_text()
            )
            data = tomllib.loads(text)
            assert data["version"] == version
            assert data["source"].strip()
            assert isinstance(data["effective_from"], dt.date)

    def test_current_versions_exist(self) -> None:
        for table, version in CURRENT_VERSIONS.items():
            assert version in available_versions(table)


class TestPowerAllocationTable:
    def test_benchmarks_match_domain_rule_5(self) -> None:
        rules = load_power_allocation_rules()
        y2023, y2024 = rules.years[2023], rules.years[2024]
        assert [y2023.electricity[c] for c in UnitCategory] == [
            D("0.7950"),
            D("0.8090"),
            D("0.8285"),
            D("0.3305"),
        ]
        assert [y2024.electricity[c] for c in UnitCategory] == [
            D("0.7910"),
            D("0.8049"),
            D("0.8244"),
            D("0.3288"),
        ]
        assert (y2023.heat_coal, y2023.heat_gas, y2024.heat_coal, y2024.heat_gas) == (
            D("0.1038"),
            D("0.0536"),
            D("0.1033"),
            D("0.0533"),
        )
        assert (rules.pre_allocation_share, rules.floor_share, rules.gas_top_up_share) == (
            D("0.70"),
            D("0.80"),
            D("1.00"),
        )

    def test_bands_sorted_from_full_load_down(self) -> None:
        bands = load_power_allocation_rules().load_bands
        assert [band.min_rate for band in bands] == [D("0.85"), D("0.80"), D("0.75"), D("0")]

    def test_loader_is_cached_and_versioned(self) -> None:
        assert load_power_allocation_rules() is load_power_allocation_rules()
        assert load_power_allocation_rules("2023-2024.1") is load_power_allocation_rules("2023-2024.1")
        assert load_power_allocation_rules().provenance.version == "2023-2024.1"

    def test_unknown_version(self) -> None:
        with pytest.raises(ReferenceVersionUnknown, match="known versions: 2023-2024.1") as caught:
            load_power_allocation_rules("2019-2020.1")
        assert caught.value.code == "reference_version_unknown"


class TestOtherTables:
    def test_surrender_rules(self) -> None:
        rules = load_surrender_rules()
        assert (rules.ccer_cap_share, rules.fine_multiplier_min, rules.fine_multiplier_max) == (
            D("0.05"),
            D("5"),
            D("10"),
        )
        assert (rules.deduction_year_offset, rules.latest_vintage_offset) == (1, 0)

    def test_calendar(self) -> None:
        calendar = load_compliance_calendar()
        assert (calendar.default_year_offset, calendar.default_month, calendar.default_day) == (1, 12, 31)
        assert calendar.utc_offset_hours == 8

    def test_prices_cover_2023_to_november_2025(self) -> None:
        prices = load_price_table().monthly_average_cny
        assert len(prices) == 35  # 12 + 12 + 11 months
        assert (2025, 12) not in prices
        assert all(price > 0 for price in prices.values())


class TestTomlAccessors:
    def test_errors_name_file_and_key(self) -> None:
        with pytest.raises(ReferenceDataInvalid, match="f.toml: x must be > 0"):
            _toml.positive_decimal({"x": D("-1")}, "x", "f.toml")
        with pytest.raises(ReferenceDataInvalid, match="f.toml: effective_from"):
            _toml.provenance({"version": "1", "source": "s"}, table="t", origin="f.toml")
        with pytest.raises(ReferenceDataInvalid, match="f.toml: n must be an integer"):
            _toml.integer({"n": True}, "n", "f.toml")
        with pytest.raises(ReferenceDataInvalid, match=r"f.toml: \[t\] must be a table"):
            _toml.table({"t": 1}, "t", "f.toml")
