"""Surrender obligations (DOMAIN rule 6): required units, the CCER cap, surrender, corrections, status.

Rounding, stated once:
- the obligation is verified emissions in tCO2e (an exact Decimal); units are whole tonnes, so the
  units REQUIRED are ceil(obligation): 1,000.2 t needs 1,001 units (no fraction of a tonne uncovered);
- the CCER cap is floor(ccer share (5%) x obligation in tCO2e): 5% of 1,000.2 t = 50.01 -> 50 units.
  It is counted over every CCER unit already surrendered for the same year.

Corrections (a later verified report revision replaces the obligation):
- lowered below what was already surrendered: the obligation is fulfilled (from the correction date if
  it was not before); the excess stays surrendered, nothing is returned (surrendered units are retired
  in the national registry), and the excess is reported so the regulator can see it;
- raised above what was surrendered: back to open, or overdue if the due date has passed.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace
from decimal import Decimal

from carbon_allowance.domain.errors import (
    CcerCapExceeded,
    InvalidInput,
    StaleRevision,
    SurrenderExceedsObligation,
)
from carbon_allowance.domain.ledger import Instrument, InstrumentKind
from carbon_allowance.domain.quantities import ceil_units, floor_units, require_non_negative
from carbon_allowance.domain.rules import SurrenderRules


class ObligationStatus(enum.StrEnum):
    OPEN = "open"
    FULFILLED = "fulfilled"
    OVERDUE = "overdue"


@dataclass(frozen=True, kw_only=True)
class Obligation:
    enterprise_id: str
    year: int
    revision: int
    obligation_tco2e: Decimal
    due_date: dt.date
    surrendered_allowances: int = 0
    surrendered_ccer: int = 0
    fulfilled_on: dt.date | None = None

    @property
    def required_units(self) -> int:
        return ceil_units(self.obligation_tco2e)

    @property
    def surrendered_units(self) -> int:
        return self.surrendered_allowances + self.surrendered_ccer

    @property
    def remaining_units(self) -> int:
        return max(0, self.required_units - self.surrendered_units)

    @property
    def excess_units(self) -> int:
        """Units surrendered beyond the (possibly lowered) requirement; they stay surrendered."""
        return max(0, self.surrendered_units - self.required_units)

    @property
    def is_fulfilled(self) -> bool:
        return self.surrendered_units >= self.required_units


def establish_obligation(
    *,
    enterprise_id: str,
    year: int,
    revision: int,
    verified_emissions_tco2e: Decimal,
    due_date: dt.date,
    established_on: dt.date,
) -> Obligation:
    """A new obligation from a verified report (nothing surrendered yet).

    Zero verified emissions owe nothing: such an obligation is fulfilled on the day it is established.
    """
    require_non_negative(verified_emissions_tco2e, name="verified_emissions_tco2e")
    obligation = Obligation(
        enterprise_id=enterprise_id,
        year=year,
        revision=revision,
        obligation_tco2e=verified_emissions_tco2e,
        due_date=due_date,
    )
    return replace(obligation, fulfilled_on=established_on) if obligation.is_fulfilled else obligation


def status_of(obligation: Obligation, *, as_of: dt.date) -> ObligationStatus:
    """Fulfilled once surrendered >= required; otherwise overdue after the due date's end, else open."""
    if obligation.is_fulfilled:
        return ObligationStatus.FULFILLED
    return ObligationStatus.OVERDUE if as_of > obligation.due_date else ObligationStatus.OPEN


def ccer_cap_units(*, obligation_tco2e: Decimal, rules: SurrenderRules) -> int:
    """floor(ccer_cap_share x obligation): the most CCER units the whole year may use."""
    return floor_units(obligation_tco2e * rules.ccer_cap_share)


def ccer_room(obligation: Obligation, *, rules: SurrenderRules) -> int:
    """CCER units still usable for this year (never negative, even after a downward correction)."""
    cap = ccer_cap_units(obligation_tco2e=obligation.obligation_tco2e, rules=rules)
    return max(0, cap - obligation.surrendered_ccer)


def is_eligible_for(instrument: Instrument, *, year: int, rules: SurrenderRules) -> bool:
    """CCER always; allowances of vintage <= year + latest_vintage_offset (no borrowing forward)."""
    if instrument.kind is InstrumentKind.CCER:
        return True
    return instrument.vintage is not None and instrument.vintage <= year + rules.latest_vintage_offset


def validate_surrender(*, obligation: Obligation, allowances: int, ccer: int, rules: SurrenderRules) -> None:
    """Raise unless the surrender fits: whole non-negative units, some units, CCER cap, no excess."""
    for name, value in (("allowances", allowances), ("ccer", ccer)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(f"{name} must be a whole number of units, zero or more, got {value!r}")
    if allowances + ccer == 0:
        raise InvalidInput("a surrender hands in at least one unit")
    room = ccer_room(obligation, rules=rules)
    if ccer > room:
        cap = ccer_cap_units(obligation_tco2e=obligation.obligation_tco2e, rules=rules)
        raise CcerCapExceeded(
            f"CCER may cover at most {cap} units of the {obligation.year} obligation "
            f"({rules.ccer_cap_share:%} of {obligation.obligation_tco2e} tCO2e, rounded down); "
            f"{obligation.surrendered_ccer} already used, so at most {room} more, not {ccer}"
        )
    if allowances + ccer > obligation.remaining_units:
        raise SurrenderExceedsObligation(
            f"the {obligation.year} obligation needs {obligation.remaining_units} more units; "
            f"{allowances + ccer} were offered"
        )


@dataclass(frozen=True, kw_only=True)
class SurrenderOutcome:
    obligation: Obligation
    became_fulfilled: bool
    on_time: bool


def record_surrender(
    *, obligation: Obligation, allowances: int, ccer: int, on: dt.date, rules: SurrenderRules
) -> SurrenderOutcome:
    """Validate and count a surrender; late surrenders count too (on_time tells them apart)."""
    validate_surrender(obligation=obligation, allowances=allowances, ccer=ccer, rules=rules)
    updated = replace(
        obligation,
        surrendered_allowances=obligation.surrendered_allowances + allowances,
        surrendered_ccer=obligation.surrendered_ccer + ccer,
    )
    became_fulfilled = updated.is_fulfilled and not obligation.is_fulfilled
    if became_fulfilled:
        updated = replace(updated, fulfilled_on=on)
    return SurrenderOutcome(
        obligation=updated, became_fulfilled=became_fulfilled, on_time=on <= obligation.due_date
    )


@dataclass(frozen=True, kw_only=True)
class CorrectionOutcome:
    obligation: Obligation
    status: ObligationStatus
    changed: bool  # False when the same revision arrives again (an idempotent replay)
    became_fulfilled: bool
    reopened: bool
    excess_units: int  # surrendered beyond the corrected requirement; stays surrendered


def correct_obligation(
    *, obligation: Obligation, revision: int, verified_emissions_tco2e: Decimal, as_of: dt.date
) -> CorrectionOutcome:
    """Replace the obligation with a later report revision; surrenders already made are kept."""
    require_non_negative(verified_emissions_tco2e, name="verified_emissions_tco2e")
    if _is_replay(obligation, revision, verified_emissions_tco2e):
        return _outcome(obligation, obligation, as_of=as_of, changed=False)
    corrected = replace(obligation, revision=revision, obligation_tco2e=verified_emissions_tco2e)
    if corrected.is_fulfilled and not obligation.is_fulfilled:
        corrected = replace(corrected, fulfilled_on=as_of)
    if obligation.is_fulfilled and not corrected.is_fulfilled:
        corrected = replace(corrected, fulfilled_on=None)
    return _outcome(obligation, corrected, as_of=as_of, changed=True)


def _is_replay(obligation: Obligation, revision: int, verified_emissions_tco2e: Decimal) -> bool:
    """True for the same revision again; StaleRevision for an older or conflicting one."""
    if revision == obligation.revision and verified_emissions_tco2e == obligation.obligation_tco2e:
        return True
    if revision <= obligation.revision:
        raise StaleRevision(
            f"the {obligation.year} obligation already reflects report revision {obligation.revision}; "
            f"revision {revision} cannot replace it"
        )
    return False


def _outcome(before: Obligation, after: Obligation, *, as_of: dt.date, changed: bool) -> CorrectionOutcome:
    return CorrectionOutcome(
        obligation=after,
        status=status_of(after, as_of=as_of),
        changed=changed,
        became_fulfilled=after.is_fulfilled and not before.is_fulfilled,
        reopened=before.is_fulfilled and not after.is_fulfilled,
        excess_units=after.excess_units,
    )
