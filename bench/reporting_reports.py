"""Benchmark: 10,000 annual reports created, submitted, assigned and verified end to end through the API.

Full path = the reporting app in-process (httpx ASGI transport, lifespan with relay and consumer) on its
own PostgreSQL database and the real Kafka; per report four POSTs (create with accounting, submit with
data-quality checks, assignment, verification), each its own transaction with row locks, history rows and
outbox events; then the time until the relay has published every event to Kafka.
Baselines in the same run over the same inputs: (a) the pure accounting engine alone; (b) a bare FastAPI
endpoint through the same ASGI client, four POSTs per report with the same bodies, no database.
The enterprises and agencies are fed through Kafka as registry events first (timed apart, not counted).

Needs the test environment (`source .testenv/env`). REPORTING_BENCH_REPORTS sets the volume (default
10,000), REPORTING_BENCH_CONCURRENCY the concurrent clients (default 8).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid
from decimal import Decimal
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from carbon_reporting.db.tables import agencies, enterprises
from carbon_reporting.domain.accounting import calculate_emissions
from carbon_reporting.domain.activity import FuelLine, single_facility_activity
from carbon_reporting.main import create_app
from carbon_reporting.service.reference import current_accounting
from carbon_reporting.settings import ReportingSettings
from carbon_shared.cli.progress import Progress
from carbon_shared.db import outbox
from carbon_shared.events import AgencyRegistered, EnterpriseRegistered
from carbon_shared.settings import PlatformSettings
from carbon_shared.testing.apps import bearer, running
from carbon_shared.testing.events import publish_events
from carbon_shared.testing.fixtures import create_database, drop_database, migrate

N = int(os.environ.get("REPORTING_BENCH_REPORTS", "10000"))
CONCURRENCY = int(os.environ.get("REPORTING_BENCH_CONCURRENCY", "8"))
AGENCIES = 10
YEAR = 2024
ADMIN_URL = os.environ.get("CARBON_TEST_DATABASE_URL", "")
BOOTSTRAP = os.environ.get("CARBON_TEST_KAFKA_BOOTSTRAP", "")
REGULATOR = bearer("regulator")


def fuel(i: int) -> dict[str, Any]:
    return {
        "fuel": "bituminous_coal",
        "amount": 50000 + i,
        "unit": "t",
        "carbon_tc_per_unit": 0.55,
        "oxidation": 0.99,
    }


def fuel_line(i: int) -> FuelLine:
    """The same fuel as `fuel(i)`, as the domain receives it."""
    line = fuel(i)
    return FuelLine(
        fuel=line["fuel"],
        amount=Decimal(line["amount"]),
        unit=line["unit"],
        carbon_tc_per_unit=Decimal(str(line["carbon_tc_per_unit"])),
        oxidation=Decimal(str(line["oxidation"])),
    )


def engine_baseline() -> float:
    """Seconds for the accounting engine alone over the N activities."""
    tables = current_accounting()
    activities = [single_facility_activity(fuels=(fuel_line(i),)) for i in range(N)]
    started = time.perf_counter()
    for activity in activities:
        calculate_emissions(
            activity=activity, year=YEAR, fuels=tables.fuels, rules=tables.rules, processes=tables.processes
        )
    return time.perf_counter() - started


async def bare_baseline() -> float:
    """Seconds for 4 x N POSTs to a bare FastAPI endpoint through the same in-process client."""
    app = FastAPI()

    @app.post("/echo")
    async def echo(body: dict[str, Any]) -> dict[str, Any]:
        return {"id": "x", "status": "draft", **body}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:

        async def one(i: int) -> None:
            for body in (
                {"enterprise_id": f"E{i}", "year": YEAR, "fuels": [fuel(i)]},
                {},
                {"agency_id": "A0"},
                {"verified_emissions_tco2e": 1, "conclusion": "accepted", "opinion": "ok"},
            ):
                assert (await client.post("/echo", json=body)).status_code == 200

        started = time.perf_counter()
        await _run_all(one, Progress("bare endpoint", N))
    return time.perf_counter() - started


async def _run_all(work: Any, progress: Progress) -> None:
    queue = iter(range(N))

    async def worker() -> None:
        for i in queue:
            await work(i)
            progress.advance()

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    progress.finish()


async def seed(app: FastAPI, platform: PlatformSettings) -> float:
    started = time.perf_counter()
    events: list[Any] = [
        AgencyRegistered(
            agency_id=f"A{a}", uscc="91640500MA76YYYY0Y", name=f"核查机构{a}", kind="verification"
        )
        for a in range(AGENCIES)
    ]
    events += [
        EnterpriseRegistered(
            enterprise_id=f"E{i}",
            uscc="91640500MA76XXXX0X",
            name=f"中卫第{i}发电有限公司",
            sector="power",
            county_code="640502",
            status="active",
        )
        for i in range(N)
    ]
    for start in range(0, len(events), 2000):
        await publish_events(platform, events[start : start + 2000])
    runtime = app.state.runtime
    while True:
        async with runtime.session_factory() as session:
            known = (await session.execute(select(func.count()).select_from(enterprises))).scalar_one()
            known += (await session.execute(select(func.count()).select_from(agencies))).scalar_one()
        if known >= N + AGENCIES:
            return time.perf_counter() - started
        await asyncio.sleep(0.2)


class StatementCounter:
    """SQL statements and commits on the app's engine, the outbox relay's apart from the requests'.

    The relay's transactions are recognised by their advisory lock / outbox claim; everything else in the
    timed window is the four POSTs (the consumer is idle once the seed is in). Each transaction also costs
    a BEGIN and, at checkout, the pool's pre-ping: round trips these events do not see.
    """

    _RELAY_MARKS = (
        "pg_try_advisory_xact_lock",
        "FROM outbox WHERE outbox.published_at IS NULL",
        "UPDATE outbox",
    )

    def __init__(self, engine: AsyncEngine) -> None:
        names = ("request statements", "request commits", "relay statements", "relay commits")
        self.counts = dict.fromkeys(names, 0)
        self.active = False
        event.listen(engine.sync_engine, "before_cursor_execute", self._statement)
        event.listen(engine.sync_engine, "commit", self._commit)

    def _statement(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        flat = " ".join(statement.split())
        relay = any(mark in flat for mark in self._RELAY_MARKS)
        if relay:
            conn.info["relay"] = True
        if self.active:
            self.counts["relay statements" if relay else "request statements"] += 1

    def _commit(self, conn: Any) -> None:
        relay = conn.info.pop("relay", False)
        if self.active:
            self.counts["relay commits" if relay else "request commits"] += 1

    def per_report(self) -> str:
        return ", ".join(f"{name} {count / N:.1f}" for name, count in self.counts.items())


async def full_path(client: httpx.AsyncClient) -> float:
    async def one(i: int) -> None:
        owner = bearer("enterprise", enterprise_id=f"E{i}")
        agency = f"A{i % AGENCIES}"
        created = await client.post(
            "/v1/reports", json={"enterprise_id": f"E{i}", "year": YEAR, "fuels": [fuel(i)]}, headers=owner
        )
        assert created.status_code == 201, created.text
        report_id = created.json()["id"]
        emissions = created.json()["calculated_emissions_tco2e"]
        steps: tuple[tuple[str, dict[str, Any], dict[str, str]], ...] = (
            (f"/v1/reports/{report_id}/submit", {}, owner),
            (f"/v1/reports/{report_id}/assignment", {"agency_id": agency}, REGULATOR),
            (
                f"/v1/reports/{report_id}/verification",
                {"verified_emissions_tco2e": emissions, "conclusion": "accepted", "opinion": "符合"},
                bearer("verifier", agency_id=agency),
            ),
        )
        for path, body, headers in steps:
            response = await client.post(path, json=body, headers=headers)
            assert response.status_code == 200, response.text
        assert response.json()["status"] == "verified"

    started = time.perf_counter()
    await _run_all(one, Progress("full path", N))
    return time.perf_counter() - started


async def drain(app: FastAPI) -> float:
    """Seconds until the relay has published every outbox row to Kafka."""
    started = time.perf_counter()
    runtime = app.state.runtime
    while True:
        async with runtime.session_factory() as session:
            waiting = (
                await session.execute(
                    select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
                )
            ).scalar_one()
        if waiting == 0:
            return time.perf_counter() - started
        await asyncio.sleep(0.1)


async def main() -> None:
    if not ADMIN_URL or not BOOTSTRAP:
        sys.exit("source .testenv/env first (CARBON_TEST_DATABASE_URL, CARBON_TEST_KAFKA_BOOTSTRAP)")
    name = f"bench_reporting_{uuid.uuid4().hex[:8]}"
    url = await create_database(ADMIN_URL, name)
    try:
        await migrate("carbon_reporting:migrations", url)
        platform = PlatformSettings(
            bus="kafka",
            kafka_bootstrap=BOOTSTRAP,
            topic_prefix=f"bench{uuid.uuid4().hex[:6]}.",
            log_json=False,
            log_level="WARNING",
        )
        app = create_app(ReportingSettings(database_url=url, platform=platform))
        async with running(app) as client:
            seeded = await seed(app, platform)
            counter = StatementCounter(app.state.runtime.engine)
            counter.active = True
            full = await full_path(client)
            counter.active = False
            drained = await drain(app)
        engine = engine_baseline()
        bare = await bare_baseline()
    finally:
        await drop_database(ADMIN_URL, name)
    report(seeded=seeded, full=full, drained=drained, engine=engine, bare=bare)
    print(f"per report (SQL on the app's engine during the POSTs): {counter.per_report()}")


def report(*, seeded: float, full: float, drained: float, engine: float, bare: float) -> None:
    end_to_end = full + drained
    print(f"reports: {N:,}, concurrent clients: {CONCURRENCY}, 4 POSTs per report")
    print(f"seed via Kafka ({N:,} enterprises + {AGENCIES} agencies): {seeded:.1f} s (not counted)")
    print(
        f"full path: {full:.1f} s API + {drained:.1f} s outbox drain = {N / end_to_end:,.0f} reports/s "
        f"({4 * N / full:,.0f} requests/s)"
    )
    print(
        f"baseline a, accounting engine alone: {N / engine:,.0f} reports/s; ratio full/engine "
        f"{engine / end_to_end:.4f}"
    )
    print(
        f"baseline b, bare FastAPI endpoint (4 POSTs): {N / bare:,.0f} reports/s; ratio full/bare "
        f"{bare / end_to_end:.2f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
