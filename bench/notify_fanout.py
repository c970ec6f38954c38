"""Benchmark: notify fan-out throughput and event-to-inbox latency, beside a same-run baseline.

full path = Kafka -> notify consumer -> event log + read model lookup + routing (reference routes,
templates in Chinese and English) + one notification row per (event, recipient, channel), all in the
consumer's transaction (flushed once per consumer batch). Each event fans out to 5 notifications
(enterprise inbox, email, SMS; eco inbox; county inbox).
baseline = the same consumer on the same broker and database doing only the event-log insert (no
routing; batched the same way), fed the same events.

Two phases per run:
- saturated: BENCH_NOTIFY_EVENTS SurrenderOverdue events (default 10,000) over BENCH_NOTIFY_ENTERPRISES
  enterprises published at once; throughput = events / time until the last row is in.
- steady: BENCH_NOTIFY_RATE events/s (default 200, below saturation) for BENCH_NOTIFY_SECONDS (default
  20); latency = event occurred_at (set when published) -> row written in the consumer's transaction,
  p50/p99 (inbox rows for the full path, event-log rows for the baseline).
Needs the test environment (`source .testenv/env`); progress on stderr.
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
from carbon_notify.service.batch import batch_of
from carbon_notify.settings import NotifySettings
from carbon_shared.app import create_service_app
from carbon_shared.bus import OutgoingMessage, make_bus
from carbon_shared.db import UnitOfWork
from carbon_shared.events import (
    Contact,
    EnterpriseRegistered,
    Envelope,
    SurrenderOverdue,
    catalogue,
    encode,
    new_envelope,
    topic_for,
)
from carbon_shared.settings import PlatformSettings
from carbon_shared.testing.apps import running
from carbon_shared.testing.events import publish_events
from carbon_shared.testing.fixtures import create_database, drop_database, migrate

N = int(os.environ.get("BENCH_NOTIFY_EVENTS", "10000"))
ENTERPRISES = int(os.environ.get("BENCH_NOTIFY_ENTERPRISES", "100"))
COUNTIES = ("640502", "640521", "640522")
PER_EVENT = 5
RATE = int(os.environ.get("BENCH_NOTIFY_RATE", "200"))
STEADY_SECONDS = float(os.environ.get("BENCH_NOTIFY_SECONDS", "20"))
TICK = 0.05  # the steady publisher sends RATE * TICK events every TICK seconds


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
    batch_of(uow).logged.append(envelope)


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
        await asyncio.sleep(0.1)
    progress(label, done, target)
    return time.perf_counter()


async def latencies(app: FastAPI, table: Any, since: dt.datetime) -> list[float]:
    if table is notifications:
        query = (
            select(notifications.c.created_at.label("at"), event_log.c.occurred_at)
            .join(event_log, event_log.c.event_id == notifications.c.event_id)
            .where(notifications.c.channel == "inbox", event_log.c.occurred_at >= since)
        )
    else:
        query = select(event_log.c.stored_at.label("at"), event_log.c.occurred_at).where(
            event_log.c.occurred_at >= since
        )
    async with app.state.runtime.session_factory() as session:
        rows = (await session.execute(query)).all()
    return [(r.at - r.occurred_at).total_seconds() for r in rows]


async def publish_steadily(platform: PlatformSettings, first: int) -> int:
    """RATE events/s for STEADY_SECONDS, each envelope made (occurred_at) just before it is sent."""
    bus = make_bus(platform, client_id="bench-steady")
    await bus.start()
    per_tick, ticks = max(1, round(RATE * TICK)), int(STEADY_SECONDS / TICK)
    started = time.perf_counter()
    try:
        for tick in range(ticks):
            await asyncio.sleep(max(0.0, started + tick * TICK - time.perf_counter()))
            batch = [overdue(first + tick * per_tick + k) for k in range(per_tick)]
            envelopes = [new_envelope(e, correlation_id="bench") for e in batch]
            await bus.publish(
                [
                    OutgoingMessage(topic_for(e.producer, platform.topic_prefix), e.subject, encode(e))
                    for e in envelopes
                ]
            )
            progress("steady", tick + 1, ticks)
    finally:
        await bus.stop()
    return per_tick * ticks


async def run(
    label: str, make_app: Any, admin_url: str, bootstrap: str, table: Any, per_event: int
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
            before = await count(app, table)
            started = time.perf_counter()
            await publish_events(platform, [overdue(i) for i in range(N)])
            finished = await wait_for(app, table, before + N * per_event, label)
            since = dt.datetime.now(dt.UTC)
            sent = await publish_steadily(platform, N)
            await wait_for(app, table, before + (N + sent) * per_event, f"{label} drain")
            lat = await latencies(app, table, since)
        return {"seconds": finished - started, "latencies": lat, "steady_events": sent}
    finally:
        await drop_database(admin_url, name)


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def latency_line(label: str, lat: list[float]) -> str:
    p50, p99 = percentile(lat, 50) * 1000, percentile(lat, 99) * 1000
    return f"{label} at {RATE} events/s steady ({len(lat):,} samples): p50 {p50:,.0f} ms, p99 {p99:,.0f} ms"


async def main() -> None:
    admin_url = os.environ["CARBON_TEST_DATABASE_URL"]
    bootstrap = os.environ["CARBON_TEST_KAFKA_BOOTSTRAP"]
    assert HANDLERS  # the full path is the service's own wiring
    base = await run("baseline", baseline_app, admin_url, bootstrap, event_log, 1)
    full = await run("full", create_app, admin_url, bootstrap, notifications, PER_EVENT)
    base_rate, full_rate = N / base["seconds"], N / full["seconds"]
    print(f"events: {N:,} SurrenderOverdue over {ENTERPRISES} enterprises, {PER_EVENT} notifications each")
    print(f"baseline (consume + event log only), saturated: {base_rate:,.0f} events/s")
    fanned = full_rate * PER_EVENT
    print(
        f"full path (log + route + render + rows), saturated: {full_rate:,.0f} events/s"
        f" = {fanned:,.0f} notifications/s"
    )
    print(f"ratio full/baseline (events/s): {full_rate / base_rate:.2f}")
    print(latency_line("baseline event-to-log latency", base["latencies"]))
    print(latency_line("full event-to-inbox latency", full["latencies"]))


if __name__ == "__main__":
    asyncio.run(main())
