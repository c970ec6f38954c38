"""Data-quality checks (seed task 2): pure functions that return flags for a human to look at.

A flag never blocks a report; it becomes a `DataQualityFlagged` event with `check` and `detail`. Shares are
compared exactly (Decimal): a difference of exactly the threshold share is not flagged, only beyond it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from carbon_reporting.domain.activity import FuelLine, ReportActivity
from carbon_reporting.domain.rules import DecimalRange, FuelTable, QualityThresholds


class QualityCheck(StrEnum):
    NCV_OUT_OF_RANGE = "ncv_out_of_range"
    CARBON_CONTENT_OUT_OF_RANGE = "carbon_content_out_of_range"
    LEDGER_MISMATCH = "ledger_mismatch"
    LEDGER_INCOMPLETE = "ledger_incomplete"
    YEAR_ON_YEAR_JUMP = "year_on_year_jump"


@dataclass(frozen=True)
class QualityFlag:
    check: QualityCheck
    detail: str


def check_fuel_parameters(*, activity: ReportActivity, fuels: FuelTable) -> tuple[QualityFlag, ...]:
    """Flag measured NCV, carbon per heat or carbon per unit outside the fuel's reference range.

    The range for carbon per unit of fuel is derived: [low NCV x low cc, high NCV x high cc]. Unknown fuels
    are skipped here: validation reports them.
    """
    flags: list[QualityFlag] = []
    for index, facility in enumerate(activity.facilities):
        prefix = activity.loc_prefix(index)
        for line_index, line in enumerate(facility.fuels):
            flags.extend(_fuel_flags(line, f"{prefix}fuels[{line_index}]", fuels))
    return tuple(flags)


def _fuel_flags(line: FuelLine, loc: str, fuels: FuelTable) -> list[QualityFlag]:
    spec = fuels.fuels.get(line.fuel)
    if spec is None:
        return []
    carbon_range = DecimalRange(
        spec.ncv_range.low * spec.cc_range.low, spec.ncv_range.high * spec.cc_range.high
    )
    candidates = (
        (QualityCheck.NCV_OUT_OF_RANGE, "ncv_gj_per_unit", line.ncv_gj_per_unit, spec.ncv_range),
        (QualityCheck.CARBON_CONTENT_OUT_OF_RANGE, "cc_tc_per_gj", line.cc_tc_per_gj, spec.cc_range),
        (
            QualityCheck.CARBON_CONTENT_OUT_OF_RANGE,
            "carbon_tc_per_unit",
            line.carbon_tc_per_unit,
            carbon_range,
        ),
    )
    return [
        QualityFlag(
            check,
            f"{loc}.{field} = {value} {line.fuel} outside [{bounds.low}, {bounds.high}] ({fuels.version})",
        )
        for check, field, value, bounds in candidates
        if value is not None and not bounds.contains(value)
    ]


def check_ledger_consistency(
    *, annual_total_tco2e: Decimal, monthly_tco2e: Mapping[int, Decimal], thresholds: QualityThresholds
) -> tuple[QualityFlag, ...]:
    """Flag a missing month, and an annual total off the ledger sum by more than the threshold share.

    Share = |annual - ledger sum| / annual; when the annual total is 0 any non-zero ledger sum is flagged.
    """
    flags: list[QualityFlag] = []
    missing = sorted(set(range(1, 13)) - set(monthly_tco2e))
    if missing:
        flags.append(QualityFlag(QualityCheck.LEDGER_INCOMPLETE, f"no ledger for months {missing}"))
    ledger_sum = sum(monthly_tco2e.values(), Decimal(0))
    gap = abs(annual_total_tco2e - ledger_sum)
    if _beyond_share(gap, annual_total_tco2e, thresholds.ledger_mismatch_share):
        flags.append(
            QualityFlag(
                QualityCheck.LEDGER_MISMATCH,
                f"annual total {annual_total_tco2e} t vs ledger sum {ledger_sum} t: gap {gap} t exceeds "
                f"{thresholds.ledger_mismatch_share} of the annual total ({thresholds.version})",
            )
        )
    return tuple(flags)


def check_year_on_year(
    *, current_tco2e: Decimal, previous_verified_tco2e: Decimal | None, thresholds: QualityThresholds
) -> tuple[QualityFlag, ...]:
    """Flag a change against last year's verified emissions beyond the threshold share (up or down).

    Share = |current - previous| / previous; no previous year means no flag; a previous 0 flags any rise.
    """
    if previous_verified_tco2e is None:
        return ()
    change = current_tco2e - previous_verified_tco2e
    if not _beyond_share(abs(change), previous_verified_tco2e, thresholds.year_on_year_jump_share):
        return ()
    detail = (
        f"{current_tco2e} t vs {previous_verified_tco2e} t verified last year: change {change} t exceeds "
        f"{thresholds.year_on_year_jump_share} of last year ({thresholds.version})"
    )
    return (QualityFlag(QualityCheck.YEAR_ON_YEAR_JUMP, detail),)


def _beyond_share(difference: Decimal, base: Decimal, share: Decimal) -> bool:
    """difference / base > share, without dividing (so base 0 needs no special rounding)."""
    if base == 0:
        return difference > 0
    return difference > abs(base) * share
