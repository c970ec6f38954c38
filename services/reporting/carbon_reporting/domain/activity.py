"""Activity data of an annual report, as the accounting engine receives it.

A report holds one or more facilities (发电设施/排放设施); the contract's flat shape (fuels and electricity
at the top level) is one unnamed facility, built with `single_facility_activity`. `flat` remembers which
shape came in so validation errors name the field the caller actually sent (`fuels[2].oxidation` for the
flat shape, `facilities[0].fuels[2].oxidation` otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class FuelLine:
    """One fuel consumed; every optional factor is a measured value the enterprise reports."""

    fuel: str
    amount: Decimal
    unit: str
    carbon_tc_per_unit: Decimal | None = None
    ncv_gj_per_unit: Decimal | None = None
    cc_tc_per_gj: Decimal | None = None
    oxidation: Decimal | None = None


@dataclass(frozen=True)
class ProcessLine:
    """One process-emission activity (e.g. t of clinker); `emission_factor` overrides the reference one."""

    process: str
    amount: Decimal
    unit: str = "t"
    emission_factor_tco2_per_unit: Decimal | None = None


@dataclass(frozen=True)
class Facility:
    name: str
    fuels: tuple[FuelLine, ...] = ()
    processes: tuple[ProcessLine, ...] = ()
    purchased_electricity_mwh: Decimal | None = None
    electricity_generated_mwh: Decimal | None = None
    heat_supplied_gj: Decimal | None = None


@dataclass(frozen=True)
class ReportActivity:
    facilities: tuple[Facility, ...]
    flat: bool = False

    def loc_prefix(self, facility_index: int) -> str:
        """The path prefix of a facility's fields in the caller's input shape."""
        return "" if self.flat else f"facilities[{facility_index}]."


def single_facility_activity(
    *,
    fuels: tuple[FuelLine, ...],
    processes: tuple[ProcessLine, ...] = (),
    purchased_electricity_mwh: Decimal | None = None,
    electricity_generated_mwh: Decimal | None = None,
    heat_supplied_gj: Decimal | None = None,
    facility_name: str = "main",
) -> ReportActivity:
    """The contract's flat report body as a one-facility activity."""
    facility = Facility(
        name=facility_name,
        fuels=fuels,
        processes=processes,
        purchased_electricity_mwh=purchased_electricity_mwh,
        electricity_generated_mwh=electricity_generated_mwh,
        heat_supplied_gj=heat_supplied_gj,
    )
    return ReportActivity(facilities=(facility,), flat=True)
