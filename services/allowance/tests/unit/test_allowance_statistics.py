"""Compliance statistics: rate per year, sector and county; surplus and deficit totals."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from carbon_allowance.domain.obligations import ObligationStatus
from carbon_allowance.domain.statistics import ComplianceRecord, GroupBy, compliance_rate, summarize

DONE, OPEN, LATE = ObligationStatus.FULFILLED, ObligationStatus.OPEN, ObligationStatus.OVERDUE


def record(
    ent: str,
    year: int,
    sector: str,
    county: str,
    required: int,
    surrendered: int,
    available: int,
    status: ObligationStatus,
) -> ComplianceRecord:
    return ComplianceRecord(
        enterprise_id=ent,
        year=year,
        sector=sector,
        county_code=county,
        required_units=required,
        surrendered_units=surrendered,
        available_units=available,
        status=status,
    )


RECORDS = [
    # ent, year, sector, county, required, surrendered, available, status     -> position
    record("A", 2023, "power", "640502", 1000, 1000, 300, DONE),  # +300
    record("B", 2023, "power", "640521", 2000, 1500, 0, LATE),  # -500
    record("C", 2023, "aluminium", "640521", 500, 500, 0, DONE),  # 0
    record("D", 2024, "power", "640502", 800, 0, 900, OPEN),  # +100
    record("E", 2024, "power", "640522", 700, 0, 650, OPEN),  # -50
    record("F", 2024, "power", "640522", 100, 120, 0, DONE),  # +20 (excess after a correction)
]


class TestComplianceRate:
    @pytest.mark.parametrize(
        ("fulfilled", "obligated", "rate"),
        [(5, 6, D("0.8333")), (2, 3, D("0.6667")), (1, 8, D("0.1250")), (3, 3, D("1.0000")), (0, 4, D("0"))],
    )
    def test_four_places_half_up(self, fulfilled: int, obligated: int, rate: D) -> None:
        # 5/6 = 0.83333 -> 0.8333 ; 2/3 = 0.66666 -> 0.6667 ; 1/8 = 0.125 exactly
        assert compliance_rate(fulfilled=fulfilled, obligated=obligated) == rate

    def test_nothing_obligated_has_no_rate(self) -> None:
        assert compliance_rate(fulfilled=0, obligated=0) is None


class TestSummarize:
    def test_per_year(self) -> None:
        y2023, y2024 = summarize(RECORDS)
        # 2023: 3 obligated, 2 fulfilled, 1 overdue ; rate 2/3 ; surplus 300 ; deficit 500
        assert (y2023.year, y2023.group, y2023.obligated, y2023.fulfilled, y2023.overdue) == (
            2023,
            None,
            3,
            2,
            1,
        )
        assert (y2023.compliance_rate, y2023.surplus_units, y2023.deficit_units) == (D("0.6667"), 300, 500)
        # 2024: 3 obligated, 1 fulfilled, 2 open ; rate 1/3 = 0.3333 ; surplus 100 + 20 ; deficit 50
        assert (y2024.open, y2024.compliance_rate, y2024.surplus_units, y2024.deficit_units) == (
            2,
            D("0.3333"),
            120,
            50,
        )

    def test_per_sector(self) -> None:
        summaries = {(s.year, s.group): s for s in summarize(RECORDS, by=GroupBy.SECTOR)}
        assert set(summaries) == {(2023, "aluminium"), (2023, "power"), (2024, "power")}
        # 2023 power: A fulfilled, B overdue -> 1/2
        assert summaries[(2023, "power")].compliance_rate == D("0.5000")
        assert summaries[(2023, "aluminium")].compliance_rate == D("1.0000")

    def test_per_county(self) -> None:
        summaries = summarize(RECORDS, by=GroupBy.COUNTY)
        keys = [(s.year, s.group) for s in summaries]
        assert keys == [(2023, "640502"), (2023, "640521"), (2024, "640502"), (2024, "640522")]
        # 2024 海原县 640522: E open (-50), F fulfilled (+20)
        haiyuan = summaries[3]
        assert (haiyuan.obligated, haiyuan.fulfilled, haiyuan.surplus_units, haiyuan.deficit_units) == (
            2,
            1,
            20,
            50,
        )

    def test_no_records(self) -> None:
        assert summarize([]) == ()
