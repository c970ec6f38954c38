"""The surrender deadline check: set-based, one SurrenderOverdue per obligation however often it runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from carbon_allowance.db import obligations, records
from carbon_allowance.db.obligations import StoredObligation
from carbon_allowance.domain.deadlines import OverdueAssessment, assess_overdue
from carbon_allowance.service.common import now_utc, rules
from carbon_shared.db import UnitOfWork
from carbon_shared.events import SurrenderOverdue


@dataclass(frozen=True, kw_only=True)
class DeadlineCheckResult:
    as_of: dt.date
    year: int | None
    marked_overdue: int
    shortfall_units: int


async def run_deadline_check(uow: UnitOfWork, *, as_of: dt.date, year: int | None) -> DeadlineCheckResult:
    """Mark open obligations due before `as_of` overdue in one UPDATE, then announce each once.

    A missing price for a fine (reference data) raises before anything commits, so no obligation is
    marked without its event.
    """
    now = now_utc()
    marked = await obligations.mark_overdue(uow.session, as_of=as_of, year=year, now=now)
    assessments = [a for a in (_assess(stored, as_of) for stored in marked) if a is not None]
    for assessment in assessments:
        await uow.emit(_event(assessment))
    await records.add_deductions(uow.session, [_deduction(a, now) for a in assessments if a.shortfall])
    return DeadlineCheckResult(
        as_of=as_of,
        year=year,
        marked_overdue=len(assessments),
        shortfall_units=sum(a.shortfall for a in assessments),
    )


def _assess(stored: StoredObligation, as_of: dt.date) -> OverdueAssessment | None:
    ruleset = rules()
    return assess_overdue(
        obligation=stored.obligation, as_of=as_of, rules=ruleset.surrender, prices=ruleset.prices
    )


def _event(a: OverdueAssessment) -> SurrenderOverdue:
    return SurrenderOverdue(
        enterprise_id=a.enterprise_id,
        year=a.year,
        obligation_tco2e=a.obligation_tco2e,
        shortfall=a.shortfall,
        due_date=a.due_date,
        average_price_cny=a.average_price_cny,
        fine_min_cny=a.fine_min_cny,
        fine_max_cny=a.fine_max_cny,
        deduction_year=a.deduction_year,
    )


def _deduction(a: OverdueAssessment, now: dt.datetime) -> dict[str, Any]:
    return {
        "enterprise_id": a.enterprise_id,
        "source_year": a.year,
        "deduction_year": a.deduction_year,
        "shortfall": a.shortfall,
        "remaining": a.shortfall,
        "created_at": now,
    }
