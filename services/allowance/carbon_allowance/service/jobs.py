"""Periodic jobs of the allowance service (each idempotent)."""

from __future__ import annotations

import datetime as dt
import logging

from carbon_allowance.service.common import today_local
from carbon_allowance.service.deadlines import run_deadline_check
from carbon_shared.runtime import PeriodicJob, ServiceRuntime

log = logging.getLogger(__name__)

# How often the schedule looks; deadlines are whole days, so hourly catches each one the same day.
DEADLINE_CHECK_EVERY = dt.timedelta(hours=1)


async def check_surrender_deadlines(runtime: ServiceRuntime) -> None:
    """Every year at once: obligations due before today (CST) and still open become overdue, once."""
    result = await run_deadline_check(runtime.uow(), as_of=today_local(), year=None)
    if result.marked_overdue:
        log.info("deadline check as of %s: %d obligations overdue", result.as_of, result.marked_overdue)


JOBS: list[PeriodicJob] = [
    PeriodicJob(name="surrender-deadline-check", every=DEADLINE_CHECK_EVERY, run=check_surrender_deadlines)
]
