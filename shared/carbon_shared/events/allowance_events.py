"""Events produced by the allowance service: allocation, deposits, surrender, deadlines, pledges."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from carbon_shared.events.base import DomainEvent, ExactDecimal, register

PRODUCER = "allowance"


@register
class AllowanceAllocated(DomainEvent):
    """Allowances issued for `year`.

    `amount` is the issuance's total for the year; `credited` is what actually moved (a final true-up
    credits only the difference to the pre-allocation, and a pending shortfall deduction is netted).
    """

    producer = PRODUCER
    allocation_id: str
    enterprise_id: str
    year: int
    kind: Literal["pre", "final"]
    amount: int
    credited: int
    deducted_shortfall: int = 0


@register
class CcerDeposited(DomainEvent):
    producer = PRODUCER
    deposit_id: str
    enterprise_id: str
    amount: int
    project_ref: str


@register
class ObligationEstablished(DomainEvent):
    """A surrender obligation created or corrected from a verified report revision."""

    producer = PRODUCER
    enterprise_id: str
    year: int
    revision: int
    obligation_tco2e: ExactDecimal
    due_date: dt.date


@register
class AllowanceSurrendered(DomainEvent):
    producer = PRODUCER
    surrender_id: str
    enterprise_id: str
    year: int
    allowances: int
    ccer: int


@register
class ObligationFulfilled(DomainEvent):
    producer = PRODUCER
    enterprise_id: str
    year: int
    obligation_tco2e: ExactDecimal
    fulfilled_on: dt.date
    on_time: bool


@register
class SurrenderOverdue(DomainEvent):
    """An obligation missed its deadline: fine range and the deduction from next year's allocation."""

    producer = PRODUCER
    enterprise_id: str
    year: int
    obligation_tco2e: ExactDecimal
    shortfall: int
    due_date: dt.date
    average_price_cny: ExactDecimal
    fine_min_cny: ExactDecimal
    fine_max_cny: ExactDecimal
    deduction_year: int


@register
class AllowanceTransferred(DomainEvent):
    """Units moved in or out by a trade settled on the national exchange (imported by the region)."""

    producer = PRODUCER
    transfer_id: str
    trade_ref: str
    enterprise_id: str
    direction: Literal["in", "out"]
    instrument: Literal["allowance", "ccer"]
    amount: int
    vintage: int | None = None
    project_ref: str | None = None
    counterparty: str | None = None
    settled_on: dt.date


@register
class AllowanceCancelled(DomainEvent):
    """Units retired voluntarily (自愿注销) by the enterprise: gone from its account, surrendering nothing."""

    producer = PRODUCER
    cancellation_id: str
    enterprise_id: str
    instrument: str
    amount: int
    reason: str


@register
class AllowancePledged(DomainEvent):
    producer = PRODUCER
    pledge_id: str
    enterprise_id: str
    amount: int
    pledgee: str


@register
class PledgeReleased(DomainEvent):
    producer = PRODUCER
    pledge_id: str
    enterprise_id: str
    amount: int


@register
class AllowanceFrozen(DomainEvent):
    """A judicial freeze: frozen units cannot move until it is lifted."""

    producer = PRODUCER
    freeze_id: str
    enterprise_id: str
    amount: int
    authority: str


@register
class FreezeLifted(DomainEvent):
    producer = PRODUCER
    freeze_id: str
    enterprise_id: str
    amount: int
