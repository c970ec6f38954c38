"""The versioned reference data and its loader: provenance, pinning, caching, and malformed files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from carbon_reporting.domain.errors import ReferenceDataInvalid, ReferenceVersionUnknown, ReferenceYearMissing
from carbon_reporting.reference import (
    ReferenceKind,
    available_versions,
    load_accounting_rules,
    load_fuel_table,
    load_holiday_calendar,
    load_holiday_calendars,
    parse,
    version_in_force,
)
from carbon_reporting.reference._toml import Header

HEAD = Header("t.1", "test", dt.date(2023, 1, 1))


class TestLoader:
    @pytest.mark.parametrize("kind", [kind for kind in ReferenceKind if kind is not ReferenceKind.HOLIDAYS])
    def test_every_table_names_its_source(self, kind: ReferenceKind) -> None:
        headers = available_versions(kind)
        assert headers and all(header.source.strip() for header in headers)

    def test_unknown_version_names_the_known_ones(self) -> None:
        with pytest.raises(ReferenceVersionUnknown, match="2022.1"):
            load_fuel_table("1999.1")

    def test_pinned_and_latest_are_cached(self) -> None:
        assert load_fuel_table("2022.1") is load_fuel_table("2022.1")
        assert load_fuel_table().version == "2022.1"

    def test_version_in_force(self) -> None:
        assert version_in_force(ReferenceKind.FUELS, on=dt.date(2024, 6, 1)) == "2022.1"
        with pytest.raises(ReferenceVersionUnknown):
            version_in_force(ReferenceKind.FUELS, on=dt.date(2022, 12, 31))


class TestFuelTable:
    def test_contract_fuels_and_units(self) -> None:
        fuels = load_fuel_table("2022.1").fuels
        for code in ("bituminous_coal", "anthracite", "lignite", "fuel_oil", "diesel"):
            assert fuels[code].units == ("t",)
        assert fuels["natural_gas"].units == ("10^4Nm3",)

    def test_coal_oxidation_follows_domain_rule_4(self) -> None:
        fuels = load_fuel_table("2022.1").fuels
        assert {fuels[c].default_oxidation for c in ("bituminous_coal", "anthracite", "lignite")} == {
            D("0.99")
        }

    def test_defaults_lie_inside_their_own_plausibility_ranges(self) -> None:
        for spec in load_fuel_table("2022.1").fuels.values():
            assert spec.ncv_range.contains(spec.default_ncv_gj_per_unit), spec.code
            assert spec.cc_range.contains(spec.default_cc_tc_per_gj), spec.code


class TestAccountingRules:
    def test_grid_factors_of_domain_rule_4(self) -> None:
        years = load_accounting_rules("2023.1").years
        assert (years[2021].grid_factor_t_per_mwh, years[2022].grid_factor_t_per_mwh) == (
            D("0.5810"),
            D("0.5703"),
        )
        assert not any(years[y].purchased_electricity_counted for y in (2023, 2024, 2025))

    def test_penalty_exceeds_every_coal_default(self) -> None:
        rules = load_accounting_rules("2023.1")
        coals = [spec for spec in load_fuel_table("2022.1").fuels.values() if spec.is_coal]
        for year_rule in rules.years.values():
            assert all(year_rule.unmeasured_coal_cc_tc_per_gj > coal.default_cc_tc_per_gj for coal in coals)


class TestHolidayCalendars:
    def test_installed_years(self) -> None:
        assert set(load_holiday_calendars()) == {2023, 2024, 2025, 2026}

    def test_holidays_are_weekdays_and_makeups_weekends(self) -> None:
        for calendar in load_holiday_calendars().values():
            assert all(day.weekday() < 5 for day in calendar.holidays), calendar.year
            assert all(day.weekday() >= 5 for day in calendar.makeup_workdays), calendar.year

    def test_missing_year(self) -> None:
        with pytest.raises(ReferenceYearMissing, match="2030"):
            load_holiday_calendar(2030)


class TestMalformedFiles:
    def test_grid_factor_for_a_year_that_does_not_count_it(self) -> None:
        year = {"unmeasured_coal_cc_tc_per_gj": "0.03", "purchased_electricity_counted": False}
        data = {"years": {"2023": {**year, "grid_factor_t_per_mwh": "0.5"}}}
        with pytest.raises(ReferenceDataInvalid, match=r"\[years.2023\]"):
            parse.parse_accounting_rules(data, HEAD, "f.toml")

    def test_decimal_written_as_float_is_refused(self) -> None:
        with pytest.raises(ReferenceDataInvalid, match="string"):
            parse.parse_quality(
                {"ledger_mismatch_share": 0.05, "year_on_year_jump_share": "0.3"}, HEAD, "q.toml"
            )

    def test_holiday_outside_its_year(self) -> None:
        data = {"holidays": [dt.date(2024, 1, 1)], "makeup_workdays": []}
        with pytest.raises(ReferenceDataInvalid, match="outside 2023"):
            parse.parse_holidays(data, HEAD, "h.toml", year=2023)

    def test_fuel_unit_not_among_known_units(self) -> None:
        spec = {"name_zh": "x", "units": ["kg"], "is_coal": False, "default_ncv_gj_per_unit": "1",
                "default_cc_tc_per_gj": "0.02", "default_oxidation": "0.98", "ncv_range": ["0", "2"],
                "cc_range": ["0", "1"]}  # fmt: skip
        with pytest.raises(ReferenceDataInvalid, match="known_units"):
            parse.parse_fuels({"known_units": ["t"], "fuels": {"x": spec}}, HEAD, "f.toml")
