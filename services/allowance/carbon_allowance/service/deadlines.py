"""The surrender deadline check: chunked, one SurrenderOverdue per obligation however often it runs.

Each chunk of obligations is one transaction: its UPDATE .. RETURNING marks them overdue and its
outbox rows and shortfall deductions commit with it. A crash between chunks leaves the rest `open`,
so the next run carries on where this one stopped and nothing is announced twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from carbon_allowance.db import obligations, records
from carbon_allowance.db.obligations import StoredObligation
from carbon_allowance.domain.deadlines import OverdueAssessment, assess_overdue, average_price_before
from carbon_allowance.service.common import now_utc, rules
from carbon_shared.db import UnitOfWork
from carbon_shared.events import SurrenderOverdue

# Obligations per transaction: big enough that per-statement costs vanish, small enough that a crash
# loses little work and row locks are held for well under a second.
CHUNK_SIZE = 2_000


@dataclass(frozen=True, kw_only=True)
class DeadlineCheckResult:
    as_of: dt.date
    year: int | None
    marked_overdue: int
    shortfall_units: int


async def run_deadline_check(
    uow: UnitOfWork, *, as_of: dt.date, year: int | None, chunk_size: int = CHUNK_SIZE
) -> DeadlineCheckResult:
    """Mark open obligations due before `as_of` overdue, chunk by chunk, announcing each once.

    `uow` comes unopened: this use case opens and commits it once per chunk. The prices every fine
    needs are checked first (422 when one is missing), so no chunk commits before that is known.
    """
    async with uow:
        for due_date in await obligations.due_dates_to_mark(uow.session, as_of=as_of, year=year):
            average_price_before(due_date=due_date, prices=rules().prices)
    marked, shortfall, after = 0, 0, None
    while True:  # one transaction per chunk
        async with uow:
            after, assessments, size = await _mark_chunk(
                uow, as_of=as_of, year=year, after=after, limit=chunk_size
            )
            await uow.commit()
        marked += len(assessments)
        shortfall += sum(a.shortfall for a in assessments)
        if size < chunk_size:  # the last slice: nothing open and due is left after it
            return DeadlineCheckResult(
                as_of=as_of, year=year, marked_overdue=marked, shortfall_units=shortfall
            )


async def _mark_chunk(
    uow: UnitOfWork, *, as_of: dt.date, year: int | None, after: tuple[str, int] | None, limit: int
) -> tuple[tuple[str, int] | None, list[OverdueAssessment], int]:
    """One chunk in the open transaction: mark, emit one event each, record the deductions.

    Returns the last key marked (where the next chunk starts), the assessments and the chunk's size.
    """
    now = now_utc()
    stored = await obligations.mark_overdue_chunk(
        uow.session, as_of=as_of, year=year, now=now, after=after, limit=limit
    )
    assessments = [a for a in (_assess(s, as_of) for s in stored) if a is not None]
    for assessment in assessments:
        await uow.emit(_event(assessment))
    await records.add_deductions(uow.session, [_deduction(a, now) for a in assessments if a.shortfall])
    last = (stored[-1].obligation.enterprise_id, stored[-1].obligation.year) if stored else after
    return last, assessments, len(stored)


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
