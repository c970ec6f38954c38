"""Periodic jobs of the reporting service (each idempotent): the deadline check, as of today in CST."""

from __future__ import annotations

import datetime as dt

from carbon_reporting.domain.deadlines import cst_date
from carbon_reporting.service.deadlines import DeadlineCheck, check_deadlines
from carbon_reporting.service.reference import deadline_rules
from carbon_shared.runtime import PeriodicJob, ServiceRuntime

# How often the check looks; an operational knob, not a regulatory number (the deadlines are dates).
DEADLINE_CHECK_EVERY = dt.timedelta(hours=1)


async def run_deadline_check(runtime: ServiceRuntime) -> DeadlineCheck:
    today = cst_date(instant=dt.datetime.now(dt.UTC), rules=deadline_rules())
    async with runtime.uow() as uow:
        result = await check_deadlines(uow, as_of=today)
        await uow.commit()
    return result


JOBS: list[PeriodicJob] = [PeriodicJob("deadline-check", DEADLINE_CHECK_EVERY, run_deadline_check)]
