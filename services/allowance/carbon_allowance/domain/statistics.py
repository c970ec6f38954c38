"""Compliance statistics: pure aggregation of obligations per year, sector and county.

- compliance_rate = fulfilled / obligated, rounded half-up to four decimals (0.8333 for 5 of 6);
  None when nothing is obligated. An obligation fulfilled late counts as fulfilled; `overdue` counts
  the ones still unfulfilled after their due date.
- position of one record = surrendered + available - required units: positive is a surplus (could be
  sold), negative a deficit (must be bought). `available_units` is what the caller says the enterprise
  can still bring to THIS year (eligible, unfrozen holdings for the open year; usually 0 for years long
  closed) so one balance is not counted twice across years.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from carbon_allowance.domain.obligations import ObligationStatus

_RATE_PLACES = Decimal("0.0001")


class GroupBy(enum.StrEnum):
    YEAR = "year"
    SECTOR = "sector"
    COUNTY = "county"


@dataclass(frozen=True, kw_only=True)
class ComplianceRecord:
    enterprise_id: str
    year: int
    sector: str
    county_code: str
    required_units: int
    surrendered_units: int
    available_units: int
    status: ObligationStatus

    @property
    def position(self) -> int:
        return self.surrendered_units + self.available_units - self.required_units


@dataclass(frozen=True, kw_only=True)
class ComplianceSummary:
    year: int
    group: str | None  # the sector or county code; None when grouped by year only
    obligated: int
    fulfilled: int
    open: int
    overdue: int
    compliance_rate: Decimal | None
    surplus_units: int
    deficit_units: int


def compliance_rate(*, fulfilled: int, obligated: int) -> Decimal | None:
    """fulfilled / obligated to four decimals, half-up; None when nothing is obligated."""
    if obligated == 0:
        return None
    return (Decimal(fulfilled) / Decimal(obligated)).quantize(_RATE_PLACES, rounding=ROUND_HALF_UP)


def summarize(
    records: Iterable[ComplianceRecord], *, by: GroupBy = GroupBy.YEAR
) -> tuple[ComplianceSummary, ...]:
    """One summary per year (and sector or county), sorted by year then group."""
    groups: dict[tuple[int, str | None], list[ComplianceRecord]] = defaultdict(list)
    for record in records:
        groups[(record.year, _group_of(record, by))].append(record)
    return tuple(
        _summary(year, group, members) for (year, group), members in sorted(groups.items(), key=_order)
    )


def _order(item: tuple[tuple[int, str | None], list[ComplianceRecord]]) -> tuple[int, str]:
    (year, group), _ = item
    return year, group or ""


def _group_of(record: ComplianceRecord, by: GroupBy) -> str | None:
    if by is GroupBy.SECTOR:
        return record.sector
    if by is GroupBy.COUNTY:
        return record.county_code
    return None


def _summary(year: int, group: str | None, members: list[ComplianceRecord]) -> ComplianceSummary:
    count = {status: sum(1 for m in members if m.status is status) for status in ObligationStatus}
    return ComplianceSummary(
        year=year,
        group=group,
        obligated=len(members),
        fulfilled=count[ObligationStatus.FULFILLED],
        open=count[ObligationStatus.OPEN],
        overdue=count[ObligationStatus.OVERDUE],
        compliance_rate=compliance_rate(fulfilled=count[ObligationStatus.FULFILLED], obligated=len(members)),
        surplus_units=sum(m.position for m in members if m.position > 0),
        deficit_units=sum(-m.position for m in members if m.position < 0),
    )
