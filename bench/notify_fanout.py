"""Benchmark: notify fan-out throughput and event-to-inbox latency, beside a same-run baseline.

full path = Kafka -> notify consumer -> event log + read model lookup + routing (reference routes,
templates in Chinese and English) + one notification row per (event, recipient, channel), all in the
consumer's transaction. Load: BENCH_NOTIFY_EVENTS SurrenderOverdue events (default 10,000) over
BENCH_NOTIFY_ENTERPRISES enterprises, each event fanning out to 5 notifications (enterprise inbox,
email, SMS; eco inbox; county inbox).
baseline = the same consumer on the same broker and database doing only the event-log insert (no
routing), fed the same events.

Prints events/s and notifications/s, the ratio to the baseline, and event-to-inbox latency p50/p99
(event occurred_at -> notification row created, in the consumer's transaction). Needs the test
environment (`source .testenv/env`); progress on stderr.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import statistics
import sys
import time
import uuid
from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from carbon_notify.db.tables import event_log, notifications
from carbon_notify.events.handlers import HANDLERS
from carbon_notify.main import create_app
from carbon_notify.service.routing import log_and_route
from carbon_notify.settings import NotifySettings
from carbon_shared.app import create_service_app
from carbon_shared.db import UnitOfWork
from carbon_shared.events import Contact, EnterpriseRegistered, Envelope, SurrenderOverdue, catalogue
from carbon_shared.settings import PlatformSettings
from carbon_shared.testing.apps import running
from carbon_shared.testing.events import publish_events
from carbon_shared.testing.fixtures import create_database, drop_database, migrate

N = int(os.environ.get("BENCH_NOTIFY_EVENTS", "10000"))
ENTERPRISES = int(os.environ.get("BENCH_NOTIFY_ENTERPRISES", "100"))
COUNTIES = ("640502", "640521", "640522")
PER_EVENT = 5


def progress(label: str, done: int, total: int) -> None:
    width = 30
    filled = int(width * min(done, total) / total)
    print(f"\r  {label:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", file=sys.stderr)
    if done >= total:
        print(file=sys.stderr)


def enterprises() -> list[EnterpriseRegistered]:
    return [
        EnterpriseRegistered(
            enterprise_id=f"bench-{i}",
            uscc=f"9164050{i:011d}",
            name=f"中卫市第{i}热电有限公司",
            sector="power",
            county_code=COUNTIES[i % len(COUNTIES)],
            status="active",
            contacts=[Contact(name="联系人", email=f"c{i}@example.cn", phone="13800000000")],
        )
        for i in range(ENTERPRISES)
    ]


def overdue(i: int) -> SurrenderOverdue:
    return SurrenderOverdue(
        enterprise_id=f"bench-{i % ENTERPRISES}",
        year=2000 + i // ENTERPRISES,
        obligation_tco2e=Decimal("30000.5"),
        shortfall=100 + i,
        due_date=dt.date(2024, 12, 31),
        average_price_cny=Decimal("70.5"),
        fine_min_cny=Decimal("35250"),
        fine_max_cny=Decimal("70500"),
        deduction_year=2026,
    )


async def log_only(uow: UnitOfWork, event: Any, envelope: Envelope) -> None:
    from carbon_notify.db import event_log as log_repository

    await log_repository.append(uow.session, envelope)


def baseline_app(settings: NotifySettings) -> FastAPI:
    return create_service_app(
        settings=settings,
        title="baseline",
        routers=[],
        handlers={cls: log_only for cls in catalogue().values()},
    )


async def count(app: FastAPI, table: Any) -> int:
    async with app.state.runtime.session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def wait_for(app: FastAPI, table: Any, target: int, label: str) -> float:
    while (done := await count(app, table)) < target:
        progress(label, done, target)
        await asyncio.sleep(0.25)
    progress(label, done, target)
    return time.perf_counter()


async def latencies(app: FastAPI) -> list[float]:
    query = (
        select(notifications.c.created_at, event_log.c.occurred_at)
        .join(event_log, event_log.c.event_id == notifications.c.event_id)
        .where(notifications.c.channel == "inbox")
    )
    async with app.state.runtime.session_factory() as session:
        rows = (await session.execute(query)).all()
    return [(r.created_at - r.occurred_at).total_seconds() for r in rows]


async def run(
    label: str, make_app: Any, admin_url: str, bootstrap: str, table: Any, target: int
) -> dict[str, Any]:
    name = f"bench_notify_{label}_{uuid.uuid4().hex[:6]}"
    url = await create_database(admin_url, name)
    try:
        await migrate("carbon_notify:migrations", url)
        platform = PlatformSettings(
            bus="kafka", kafka_bootstrap=bootstrap, topic_prefix=f"b{uuid.uuid4().hex[:8]}."
        )
        platform = platform.model_copy(update={"log_json": False, "log_level": "WARNING"})
        app = make_app(NotifySettings(database_url=url, platform=platform))
        async with running(app):
            await publish_events(platform, enterprises())
            await wait_for(app, event_log, ENTERPRISES, f"{label} setup")
            started = time.perf_counter()
            await publish_events(platform, [overdue(i) for i in range(N)])
            finished = await wait_for(app, table, target, label)
            lat = await latencies(app) if table is notifications else []
        return {"seconds": finished - started, "latencies": lat}
    finally:
        await drop_database(admin_url, name)


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


async def main() -> None:
    admin_url = os.environ["CARBON_TEST_DATABASE_URL"]
    bootstrap = os.environ["CARBON_TEST_KAFKA_BOOTSTRAP"]
    assert HANDLERS and log_and_route  # the full path is the service's own wiring
    base = await run("baseline", baseline_app, admin_url, bootstrap, event_log, ENTERPRISES + N)
    full = await run("full", create_app, admin_url, bootstrap, notifications, N * PER_EVENT)
    base_rate, full_rate = N / base["seconds"], N / full["seconds"]
    lat = full["latencies"]
    print(f"events: {N:,} SurrenderOverdue over {ENTERPRISES} enterprises, {PER_EVENT} notifications each")
    print(f"baseline (consume + event log only): {base_rate:,.0f} events/s")
    fanned = full_rate * PER_EVENT
    print(
        f"full path (log + route + render + rows): {full_rate:,.0f} events/s = {fanned:,.0f} notifications/s"
    )
    print(f"ratio full/baseline (events/s): {full_rate / base_rate:.2f}")
    p50, p99 = percentile(lat, 50) * 1000, percentile(lat, 99) * 1000
    print(f"event-to-inbox latency under load: p50 {p50:,.0f} ms, p99 {p99:,.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
