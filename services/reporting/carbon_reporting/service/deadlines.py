"""The deadline check: `ReportOverdue` and `LedgerOverdue` for listed units, each emitted exactly once.

Run by the periodic job (as of today in CST) and on demand (`POST /v1/deadlines/check` with `as_of`, so
operators can re-run a missed day). Exactly-once comes from `deadline_notices`: an event is emitted only
in the transaction that inserted its key, however often and however concurrently the check runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from carbon_reporting.db import ledgers, readmodels, reports
from carbon_reporting.domain.deadlines import (
    FilingStatus,
    OverdueItem,
    OverdueKind,
    find_overdue,
    ledger_months_of,
)
from carbon_reporting.service.reference import deadline_rules
from carbon_shared.db import UnitOfWork
from carbon_shared.events.reporting_events import LedgerOverdue, ReportOverdue


@dataclass(frozen=True)
class DeadlineCheck:
    as_of: dt.date
    overdue: tuple[OverdueItem, ...]
    newly_emitted: tuple[OverdueItem, ...]


async def check_deadlines(uow: UnitOfWork, *, as_of: dt.date) -> DeadlineCheck:
    overdue = find_overdue(filings=await _filings(uow, as_of=as_of), as_of=as_of, rules=deadline_rules())
    now = dt.datetime.now(dt.UTC)
    emitted: list[OverdueItem] = []
    for item in overdue:
        if await ledgers.claim_notice(uow.session, item, as_of=as_of, at=now):
            await uow.emit(_event(item))
            emitted.append(item)
    return DeadlineCheck(as_of=as_of, overdue=overdue, newly_emitted=tuple(emitted))


def _event(item: OverdueItem) -> ReportOverdue | LedgerOverdue:
    if item.kind is OverdueKind.REPORT:
        return ReportOverdue(enterprise_id=item.enterprise_id, year=item.year, due_date=item.due_date)
    assert item.month is not None, "a ledger item names its month"
    return LedgerOverdue(
        enterprise_id=item.enterprise_id, year=item.year, month=item.month, due_date=item.due_date
    )


async def _filings(uow: UnitOfWork, *, as_of: dt.date) -> list[FilingStatus]:
    """What each listed unit owes (reports and ledgers of its listed years) and what it has filed."""
    listed = await readmodels.listed_years(uow.session, up_to_year=as_of.year)
    ids = set(listed)
    filed_years = await reports.filed_report_years(uow.session, ids)
    filed_months = await ledgers.filed_months(uow.session, ids)
    closed = await readmodels.closure_dates(uow.session, ids)
    return [
        FilingStatus(
            enterprise_id=enterprise_id,
            report_years_due=frozenset(years),
            report_years_filed=frozenset(filed_years.get(enterprise_id, set())),
            ledger_months_due=_months_owed(years, closed.get(enterprise_id)),
            ledger_months_filed=frozenset(filed_months.get(enterprise_id, set())),
        )
        for enterprise_id, years in sorted(listed.items())
    ]


def _months_owed(years: set[int], closed_on: dt.date | None) -> frozenset[tuple[int, int]]:
    """The months of the listed years, up to the month the unit closed in (a closed unit has no meters)."""
    months = frozenset().union(*(ledger_months_of(year) for year in years)) if years else frozenset()
    if closed_on is None:
        return months
    return frozenset(m for m in months if m <= (closed_on.year, closed_on.month))
