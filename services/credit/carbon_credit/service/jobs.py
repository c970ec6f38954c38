"""Periodic jobs of the credit service (each idempotent): observe expiries, detect refusals to surrender."""

from __future__ import annotations

import datetime as dt

from carbon_credit.service.intake import detect_refusals
from carbon_credit.service.ratings import observe_expiries, utc_now
from carbon_shared.runtime import PeriodicJob, ServiceRuntime

BATCH = 500  # subjects per transaction; the job loops until nothing is due


async def observe_expiries_job(runtime: ServiceRuntime) -> int:
    """Record every fact whose validity ended (a rating may improve): one batch per transaction."""
    as_of, total = utc_now(), 0
    while True:
        async with runtime.uow() as uow:
            touched = await observe_expiries(uow, as_of=as_of, limit=BATCH)
            await uow.commit()
        total += touched
        if touched < BATCH:
            return total


async def detect_refusals_job(runtime: ServiceRuntime) -> int:
    async with runtime.uow() as uow:
        found = await detect_refusals(uow, as_of=utc_now(), limit=BATCH)
        await uow.commit()
    return found


JOBS: list[PeriodicJob] = [
    PeriodicJob("credit-expiries", dt.timedelta(hours=1), observe_expiries_job),
    PeriodicJob("credit-surrender-refusals", dt.timedelta(hours=1), detect_refusals_job),
]
