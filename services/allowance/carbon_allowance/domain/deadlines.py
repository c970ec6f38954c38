"""Surrender deadlines, overdue assessment and the deduction from the next allocation (DOMAIN rule 6).

- Due date for year Y: the calendar's override for Y, else (Y + year_offset)-month-day (31 Dec Y+1).
- A deadline falls at the END of its day in China Standard Time: an obligation is overdue from
  00:00 CST of the following day (`deadline_passed`), i.e. for an as-of date, when as_of > due date.
- The fine range is shortfall x the average CEA price of the calendar month BEFORE the month holding
  the deadline (due 31 Dec 2025 -> November 2025) x the multipliers (5..10). The price has two
  decimals and the other factors are integers, so the product is exact; it is still quantized to the
  fen (half-up) to state the published precision.
- The shortfall (whole units still owed) is deducted from the allocation of year Y + offset (Y + 1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from carbon_allowance.domain.errors import InvalidInput, ReferenceDataInvalid, ReferenceDataMissing
from carbon_allowance.domain.obligations import Obligation, ObligationStatus, status_of
from carbon_allowance.domain.quantities import to_fen
from carbon_allowance.domain.rules import ComplianceCalendar, PriceTable, SurrenderRules


def surrender_due_date(*, year: int, calendar: ComplianceCalendar) -> dt.date:
    """The last day to surrender for compliance year `year`."""
    override = calendar.overrides.get(year)
    if override is not None:
        return override
    try:
        return dt.date(year + calendar.default_year_offset, calendar.default_month, calendar.default_day)
    except ValueError as exc:
        raise ReferenceDataInvalid(
            f"{calendar.provenance.table} {calendar.provenance.version}: default due date is not a real "
            f"date for {year}: {exc}"
        ) from exc


def deadline_instant(*, due_date: dt.date, calendar: ComplianceCalendar) -> dt.datetime:
    """The first instant after the deadline: 00:00 of the next day at the calendar's UTC offset."""
    zone = dt.timezone(dt.timedelta(hours=calendar.utc_offset_hours))
    return dt.datetime.combine(due_date + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)


def deadline_passed(*, due_date: dt.date, at: dt.datetime, calendar: ComplianceCalendar) -> bool:
    """True once `at` (any time zone) is past the end of the due day in China Standard Time."""
    if at.tzinfo is None:
        raise InvalidInput("a point in time for a deadline check must carry a time zone")
    return at >= deadline_instant(due_date=due_date, calendar=calendar)


def price_month_for(due_date: dt.date) -> tuple[int, int]:
    """(year, month) of the calendar month before the one holding the deadline."""
    first_of_month = due_date.replace(day=1)
    previous = first_of_month - dt.timedelta(days=1)
    return previous.year, previous.month


def average_price_before(*, due_date: dt.date, prices: PriceTable) -> Decimal:
    year, month = price_month_for(due_date)
    price = prices.monthly_average_cny.get((year, month))
    if price is None:
        raise ReferenceDataMissing(
            f"no average CEA price for {year}-{month:02d} in {prices.provenance.table} "
            f"{prices.provenance.version}; add it before assessing fines for deadlines in the next month"
        )
    return price


@dataclass(frozen=True, kw_only=True)
class OverdueAssessment:
    """Everything a `SurrenderOverdue` event carries, computed from one obligation."""

    enterprise_id: str
    year: int
    obligation_tco2e: Decimal
    shortfall: int
    due_date: dt.date
    price_month: tuple[int, int]
    average_price_cny: Decimal
    fine_min_cny: Decimal
    fine_max_cny: Decimal
    deduction_year: int


def assess_overdue(
    *, obligation: Obligation, as_of: dt.date, rules: SurrenderRules, prices: PriceTable
) -> OverdueAssessment | None:
    """The overdue facts for `obligation` as of a date, or None when it is open or fulfilled."""
    if status_of(obligation, as_of=as_of) is not ObligationStatus.OVERDUE:
        return None
    shortfall = obligation.remaining_units
    price = average_price_before(due_date=obligation.due_date, prices=prices)
    return OverdueAssessment(
        enterprise_id=obligation.enterprise_id,
        year=obligation.year,
        obligation_tco2e=obligation.obligation_tco2e,
        shortfall=shortfall,
        due_date=obligation.due_date,
        price_month=price_month_for(obligation.due_date),
        average_price_cny=price,
        fine_min_cny=to_fen(shortfall * price * rules.fine_multiplier_min),
        fine_max_cny=to_fen(shortfall * price * rules.fine_multiplier_max),
        deduction_year=obligation.year + rules.deduction_year_offset,
    )


@dataclass(frozen=True, kw_only=True)
class IssuancePlan:
    """How one allocation moves units once a pending shortfall deduction is netted.

    amount: the issuance's total for the year; previously_issued: the `amount` (gross, before any
    deduction) of the earlier issuance for that year, 0 if none; delta = amount - previously_issued
    (a final true-up credits only the difference to the pre-allocation); deducted comes out of a
    positive delta only;
    credited = delta - deducted (negative: units go back to issuance); remaining_deduction carries to
    the next issuance for the same year when this one cannot absorb it.
    """

    amount: int
    previously_issued: int
    delta: int
    deducted: int
    credited: int
    remaining_deduction: int


def plan_issuance(*, amount: int, previously_issued: int, pending_deduction: int) -> IssuancePlan:
    """Net a pending shortfall deduction against an allocation (pre or final) for the deduction year."""
    for name, value in (
        ("amount", amount),
        ("previously_issued", previously_issued),
        ("pending_deduction", pending_deduction),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(f"{name} must be a whole number of units, zero or more, got {value!r}")
    delta = amount - previously_issued
    deducted = min(pending_deduction, max(delta, 0))
    return IssuancePlan(
        amount=amount,
        previously_issued=previously_issued,
        delta=delta,
        deducted=deducted,
        credited=delta - deducted,
        remaining_deduction=pending_deduction - deducted,
    )
