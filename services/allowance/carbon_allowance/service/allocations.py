"""Issuing allowances (`pre`, then `final` trues up the difference) and the power-sector calculator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, cast

from sqlalchemy.ext.asyncio import AsyncSession

from carbon_allowance.db import ledger, records
from carbon_allowance.db.tables import allocations
from carbon_allowance.domain.allocation import AllocationResult, PowerUnitInput, calculate_power_allocation
from carbon_allowance.domain.deadlines import IssuancePlan, plan_issuance
from carbon_allowance.domain.ledger import Balances
from carbon_allowance.domain.ledger_entries import build_allocation, build_deduction, build_true_up
from carbon_allowance.service.common import (
    context,
    locked_account,
    new_id,
    now_utc,
    post,
    refuse_closed,
    rules,
)
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import Conflict
from carbon_shared.events import AllowanceAllocated

AllocationKind = Literal["pre", "final"]


@dataclass(frozen=True, kw_only=True)
class AllocationRecord:
    allocation_id: str
    enterprise_id: str
    year: int
    kind: str
    amount: int
    previously_issued: int
    credited: int
    deducted_shortfall: int
    created_at: dt.datetime


def calculate(unit: PowerUnitInput) -> AllocationResult:
    """DOMAIN rule 5 with the benchmarks in force; issues nothing."""
    return calculate_power_allocation(unit=unit, rules=rules().power)


async def issue_allocation(
    uow: UnitOfWork, *, enterprise_id: str, year: int, amount: int, kind: AllocationKind, actor: str
) -> AllocationRecord:
    """Issue (or true up) the year's allocation, withholding any pending overdue shortfall."""
    session = uow.session
    refuse_closed(await locked_account(session, enterprise_id), "allocation")
    plan, pending, first = await _plan(
        session, enterprise_id=enterprise_id, year=year, amount=amount, kind=kind
    )
    record = AllocationRecord(
        allocation_id=new_id(),
        enterprise_id=enterprise_id,
        year=year,
        kind=kind,
        amount=amount,
        previously_issued=plan.previously_issued,
        credited=plan.credited,
        deducted_shortfall=plan.deducted,
        created_at=now_utc(),
    )
    await _move_units(session, record, plan, actor=actor, first=first)
    await records.consume_deductions(session, pending, plan.deducted)
    await records.add(session, allocations, **vars(record), actor=actor)
    await uow.emit(_allocated(record))
    return record


async def _plan(
    session: AsyncSession, *, enterprise_id: str, year: int, amount: int, kind: AllocationKind
) -> tuple[IssuancePlan, list[Any], bool]:
    """The issuance netted against the earlier one and the pending shortfalls; 409 for a second `pre`.

    Returns the plan, the pending deduction rows it draws on, and whether this is the first issuance.
    """
    previous = await records.latest_allocation(session, enterprise_id, year)
    if kind == "pre" and previous is not None:
        raise Conflict(f"{year} allowances were already issued to {enterprise_id}; send a `final` to true up")
    pending = await records.pending_deductions(session, enterprise_id, year)
    plan = plan_issuance(
        amount=amount,
        previously_issued=int(previous.amount) if previous else 0,
        pending_deduction=sum(int(row.remaining) for row in pending),
    )
    return plan, pending, previous is None


def _allocated(record: AllocationRecord) -> AllowanceAllocated:
    return AllowanceAllocated(
        allocation_id=record.allocation_id,
        enterprise_id=record.enterprise_id,
        year=record.year,
        kind=cast(AllocationKind, record.kind),
        amount=record.amount,
        credited=record.credited,
        deducted_shortfall=record.deducted_shortfall,
    )


async def _move_units(
    session: AsyncSession, record: AllocationRecord, plan: IssuancePlan, *, actor: str, first: bool
) -> Balances:
    """Ledger entries: the issuance (or true-up of the difference), then the withheld shortfall."""
    enterprise_id, year = record.enterprise_id, record.year
    balances = await ledger.load_balances(session, enterprise_id)
    reason = f"{record.kind} allocation {year}: {record.amount} (previously {plan.previously_issued})"
    entry = context(actor=actor, reason=reason, reference=record.allocation_id)
    if plan.delta > 0 and first:
        issue = build_allocation(context=entry, enterprise_id=enterprise_id, vintage=year, amount=plan.delta)
        balances = await post(session, balances, issue)
    elif plan.delta != 0:
        true_up = build_true_up(
            context=entry, enterprise_id=enterprise_id, vintage=year, difference=plan.delta, balances=balances
        )
        balances = await post(session, balances, true_up)
    if plan.deducted:
        balances = await _withhold_shortfall(session, record, plan.deducted, balances, actor=actor)
    return balances


async def _withhold_shortfall(
    session: AsyncSession, record: AllocationRecord, deducted: int, balances: Balances, *, actor: str
) -> Balances:
    """The `deduction` entry taking an overdue shortfall back out of the units just issued."""
    withheld = context(
        actor=actor,
        reason=f"overdue shortfall withheld from the {record.year} allocation: {deducted}",
        reference=record.allocation_id,
    )
    deduction = build_deduction(
        context=withheld,
        enterprise_id=record.enterprise_id,
        vintage=record.year,
        amount=deducted,
        balances=balances,
    )
    return await post(session, balances, deduction)
