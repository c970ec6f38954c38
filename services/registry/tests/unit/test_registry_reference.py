"""Reference data files: provenance headers, key values, version pinning and in-force selection."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from carbon_registry.domain.catalog import DivisionKind
from carbon_registry.domain.errors import (
    ReferenceDataInvalid,
    ReferenceVersionUnknown,
    UnknownCounty,
    UnknownDepartment,
    UnknownSector,
)
from carbon_registry.reference import (
    ReferenceKind,
    available_versions,
    header_of,
    load_counties,
    load_departments,
    load_directory_rule,
    load_project_types,
    load_reference,
    load_sectors,
    version_in_force,
)
from carbon_registry.reference.parse import parse_directory_rule, parse_uscc_standard


class TestHeaders:
    @pytest.mark.parametrize("kind", list(ReferenceKind))
    def test_every_file_declares_version_source_and_date(self, kind: ReferenceKind) -> None:
        for header in available_versions(kind):
            assert header.version and header.source.strip()
            assert header.effective_from >= dt.date(2015, 1, 1)

    def test_directory_rule_names_the_city_plan(self) -> None:
        assert "卫政办发〔2023〕61号" in header_of(ReferenceKind.KEY_EMITTER_DIRECTORY).source


class TestKeyValues:
    def test_directory_rule(self) -> None:
        rule = load_directory_rule()
        assert (rule.threshold_tco2e, rule.energy_equivalent_tce) == (Decimal("26000"), Decimal("10000"))
        assert (rule.years_below_to_delist, rule.listing_offset_years) == (2, 1)

    def test_counties_of_zhongwei(self) -> None:
        counties = load_counties()
        assert counties.city_code == "640500"
        assert [(c.code, c.name_zh) for c in counties.counties] == [
            ("640502", "沙坡头区"),
            ("640521", "中宁县"),
            ("640522", "海原县"),
            ("park", "宁夏中卫工业园区"),
        ]
        assert counties.resolve("海原县").code == "640522"
        assert counties.get("park").kind is DivisionKind.INDUSTRIAL_PARK

    def test_unknown_county_lists_the_valid_ones(self) -> None:
        with pytest.raises(
            UnknownCounty, match="county '640100' is not in Zhongwei; use one of: 640502 沙坡头区"
        ):
            load_counties().get("640100")

    def test_sector_codes_and_coverage(self) -> None:
        sectors = load_sectors("2025.1")
        codes = [s.code for s in sectors.sectors]
        assert codes == [
            "power", "steel", "building_materials", "petrochemical",
            "chemical", "nonferrous", "paper", "aviation",
        ]  # fmt: skip
        covered = {s.code for s in sectors.sectors if s.national_market_covered}
        assert covered == {"power", "steel", "building_materials", "nonferrous"}
        assert sectors.get("nonferrous").covered_in(2024) and not sectors.get("nonferrous").covered_in(2023)
        assert sectors.resolve("建材").code == "building_materials"
        with pytest.raises(UnknownSector, match="sector 'mining' is unknown"):
            sectors.get("mining")

    def test_the_2023_table_covers_power_only(self) -> None:
        covered = {s.code for s in load_sectors("2023.1").sectors if s.national_market_covered}
        assert covered == {"power"}

    def test_departments_of_the_contract(self) -> None:
        departments = load_departments()
        assert [d.code for d in departments.departments] == [
            "eco", "miit", "samr", "police", "ndrc", "pboc", "stats", "nr", "fin", "finance",
            "640502", "640521", "640522", "park",
        ]  # fmt: skip
        assert departments.get("samr").name_zh == "中卫市市场监督管理局"
        assert departments.get("park").county_government
        with pytest.raises(UnknownDepartment):
            departments.get("tax")

    def test_ccer_project_types(self) -> None:
        types = load_project_types()
        assert [(t.code, t.name_zh) for t in types.project_types][:6] == [
            ("wind", "风能"), ("solar", "光能"), ("hydro", "水能"), ("hydrogen", "氢能"),
            ("methane_use", "甲烷利用"), ("forestry_sink", "林业碳汇"),
        ]  # fmt: skip
        assert types.get("other").code == "other"


class TestVersions:
    def test_in_force_selection_replays_the_older_sector_table(self) -> None:
        assert version_in_force(ReferenceKind.SECTORS, on=dt.date(2025, 3, 25)) == "2023.1"
        assert version_in_force(ReferenceKind.SECTORS, on=dt.date(2025, 3, 26)) == "2025.1"
        assert load_reference(on=dt.date(2024, 1, 1)).versions[ReferenceKind.SECTORS] == "2023.1"

    def test_before_any_version(self) -> None:
        with pytest.raises(ReferenceVersionUnknown, match="in force on 2020-01-01"):
            version_in_force(ReferenceKind.SECTORS, on=dt.date(2020, 1, 1))

    def test_unknown_version_names_the_known_ones(self) -> None:
        with pytest.raises(ReferenceVersionUnknown, match="known: 2023.1, 2025.1"):
            load_sectors("1999.1")

    def test_loader_is_cached(self) -> None:
        assert load_sectors("2025.1") is load_sectors("2025.1")


class TestMalformedFiles:
    def test_decimal_written_as_float_is_refused(self) -> None:
        data = {"threshold_tco2e": 26000.0, "energy_equivalent_tce": "1", "years_below_to_delist": 2}
        with pytest.raises(
            Exception, match=r"x\.toml: threshold_tco2e must be a decimal written as a string"
        ):
            parse_directory_rule(data, origin="x.toml")

    def test_weights_must_match_the_length(self) -> None:
        data = {"charset": "0123456789", "weights": [1, 3], "length": 18,
                "division_first_position": 3, "division_last_position": 8}  # fmt: skip
        with pytest.raises(ReferenceDataInvalid, match=r"u\.toml: USCC needs 17 weights .*got 2"):
            parse_uscc_standard(data, origin="u.toml")
