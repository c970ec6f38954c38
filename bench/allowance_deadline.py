"""Benchmark: the allowance deadline check over many obligations, and surrender throughput via the API.

1. Deadline check: ALLOWANCE_BENCH_OBLIGATIONS open obligations (default 100,000) are bulk-inserted into a
   fresh PostgreSQL database, all past due. The check (chunks of 2,000 obligations, each one transaction:
   an UPDATE .. RETURNING over a locked primary-key slice, the fine and deduction computed per row, one
   SurrenderOverdue outbox row each, the deductions in bulk, commit) is timed beside a bare SELECT of the
   same rows. A second run, which must mark nothing, is timed too.
2. Surrenders: ALLOWANCE_BENCH_SURRENDERS requests (default 2,000) to `POST /v1/surrenders` from 16
   concurrent clients over 200 enterprises (JWT check; account + obligation locked in one SELECT, the
   holdings read, one combined write of entry, postings, holdings, obligation and surrender row, the
   outbox row; the relay publishes to Kafka meanwhile), beside
   a bare FastAPI endpoint taking the same JSON body through the same in-process HTTP client.

Needs the test environment (PostgreSQL + Kafka): `source .testenv/env` first.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import time
import uuid
from decimal import Decimal

import httpx
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import insert, select

from carbon_allowance.db.tables import accounts, obligations
from carbon_allowance.main import create_app
from carbon_allowance.service.allocations import issue_allocation
from carbon_allowance.service.deadlines import run_deadline_check
from carbon_allowance.service.enterprises import record_snapshot
from carbon_allowance.service.obligations import apply_verified_report
from carbon_allowance.settings import AllowanceSettings
from carbon_shared.cli.progress import Progress
from carbon_shared.db import UnitOfWork, make_engine, make_session_factory
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.fixtures import create_database, drop_database, migrate
from carbon_shared.testing.services import kafka_service

OBLIGATIONS = int(os.environ.get("ALLOWANCE_BENCH_OBLIGATIONS", "100000"))
SURRENDERS = int(os.environ.get("ALLOWANCE_BENCH_SURRENDERS", "2000"))
ENTERPRISES = 200
CLIENTS = 16
SEED_CHUNK = 10_000
ADMIN_URL = os.environ.get("CARBON_TEST_DATABASE_URL", "")
BOOTSTRAP = os.environ.get("CARBON_TEST_KAFKA_BOOTSTRAP", "")
NOW = dt.datetime.now(dt.UTC)


def _obligation_row(i: int) -> dict[str, object]:
    return {
        "enterprise_id": f"ent-{i:06d}",
        "year": 2024,
        "revision": 1,
        "report_id": f"rep-{i}",
        "obligation_tco2e": Decimal(26_000 + i % 5000) + Decimal("0.5"),
        "due_date": dt.date(2025, 12, 31),
        "surrendered_allowances": i % 1000,
        "surrendered_ccer": 0,
        "status": "open",
        "established_at": NOW,
        "updated_at": NOW,
    }


async def _seed_obligations(sessions) -> None:
    progress = Progress("  seeding obligations", OBLIGATIONS)
    for start in range(0, OBLIGATIONS, SEED_CHUNK):
        rows = [_obligation_row(i) for i in range(start, min(start + SEED_CHUNK, OBLIGATIONS))]
        async with sessions() as session:
            await session.execute(
                insert(accounts),
                [
                    {"enterprise_id": r["enterprise_id"], "status": "registered", "updated_at": NOW}
                    for r in rows
                ],
            )
            await session.execute(insert(obligations), rows)
            await session.commit()
        progress.advance(len(rows))
    progress.finish()


async def _timed_select(sessions) -> float:
    started = time.perf_counter()
    async with sessions() as session:
        query = select(obligations).where(
            obligations.c.status == "open", obligations.c.due_date < dt.date(2026, 1, 1)
        )
        count = len((await session.execute(query)).all())
    assert count == OBLIGATIONS, count
    return time.perf_counter() - started


async def _timed_check(sessions, expected: int) -> float:
    started = time.perf_counter()
    result = await run_deadline_check(UnitOfWork(sessions), as_of=dt.date(2026, 1, 1), year=2024)
    assert result.marked_overdue == expected, result
    return time.perf_counter() - started


async def bench_deadline_check() -> None:
    name = f"bench_allowance_{uuid.uuid4().hex[:8]}"
    url = await create_database(ADMIN_URL, name)
    engine = make_engine(url)
    try:
        await migrate("carbon_allowance:migrations", url)
        sessions = make_session_factory(engine)
        await _seed_obligations(sessions)
        bare = await _timed_select(sessions)
        print("  running the deadline check ...", file=sys.stderr)
        full = await _timed_check(sessions, OBLIGATIONS)
        again = await _timed_check(sessions, 0)
    finally:
        await engine.dispose()
        await drop_database(ADMIN_URL, name)
    print(f"deadline check over {OBLIGATIONS:,} obligations (PostgreSQL)")
    print(f"  bare SELECT of the same rows : {bare:7.2f} s  {OBLIGATIONS / bare:10,.0f} rows/s")
    print(f"  deadline check (mark+events) : {full:7.2f} s  {OBLIGATIONS / full:10,.0f} obligations/s")
    print(f"  ratio check/bare             : {bare / full:7.3f}  (the check takes {full / bare:.1f}x)")
    print(f"  second run (marks nothing)   : {again:7.3f} s")


async def _seed_accounts(app: FastAPI) -> None:
    per_enterprise = SURRENDERS // ENTERPRISES + 1
    async with app.state.runtime.uow() as uow:
        for i in range(ENTERPRISES):
            eid = f"ent-{i:04d}"
            snapshot = {
                "enterprise_id": eid,
                "uscc": None,
                "name": f"企业{i}",
                "sector": "power",
                "county_code": "640502",
                "status": "active",
            }
            await record_snapshot(uow, snapshot=snapshot)
            await apply_verified_report(
                uow,
                report_id=f"r{i}",
                enterprise_id=eid,
                year=2025,
                revision=1,
                verified_emissions_tco2e=Decimal(per_enterprise * 10),
            )
            await issue_allocation(
                uow, enterprise_id=eid, year=2025, amount=per_enterprise, kind="pre", actor="bench"
            )
        await uow.commit()


async def _drive(client: httpx.AsyncClient, url: str, label: str, headers_of) -> float:
    progress = Progress(f"  {label}", SURRENDERS)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(SURRENDERS):
        queue.put_nowait(i)

    async def worker() -> None:
        while not queue.empty():
            i = queue.get_nowait()
            eid = f"ent-{i % ENTERPRISES:04d}"
            body = {"enterprise_id": eid, "year": 2025, "allowances": 1, "ccer": 0}
            response = await client.post(url, json=body, headers=headers_of(eid))
            assert response.status_code == 201, response.text
            progress.advance()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    elapsed = time.perf_counter() - started
    progress.finish()
    return elapsed


class _Body(BaseModel):
    enterprise_id: str
    year: int
    allowances: int
    ccer: int


def _bare_app() -> FastAPI:
    app = FastAPI()

    @app.post("/bare", status_code=201)
    async def bare(body: _Body) -> dict[str, object]:
        return {"surrender_id": str(uuid.uuid4()), **body.model_dump()}

    return app


async def bench_surrenders() -> None:
    tokens = {f"ent-{i:04d}": bearer("enterprise", enterprise_id=f"ent-{i:04d}") for i in range(ENTERPRISES)}
    transport = httpx.ASGITransport(app=_bare_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as bare_client:
        bare = await _drive(bare_client, "/bare", "bare endpoint", tokens.__getitem__)
    async with kafka_service(
        settings_cls=AllowanceSettings,
        create_app=create_app,
        pg_admin_url=ADMIN_URL,
        kafka_bootstrap=BOOTSTRAP,
        topic_prefix=f"bench{uuid.uuid4().hex[:6]}.",
        log_level="WARNING",
    ) as service:
        await _seed_accounts(service.app)
        full = await _drive(service.client, "/v1/surrenders", "surrenders", tokens.__getitem__)
    print(f"surrender throughput: {SURRENDERS:,} requests, {CLIENTS} clients, {ENTERPRISES} enterprises")
    print(f"  bare FastAPI endpoint        : {SURRENDERS / bare:10,.0f} req/s")
    print(f"  POST /v1/surrenders          : {SURRENDERS / full:10,.0f} surrenders/s")
    print(f"  ratio surrenders/bare        : {bare / full:10.3f}")


async def main() -> None:
    if not ADMIN_URL or not BOOTSTRAP:
        sys.exit("source .testenv/env first (CARBON_TEST_DATABASE_URL, CARBON_TEST_KAFKA_BOOTSTRAP)")
    await bench_deadline_check()
    await bench_surrenders()


if __name__ == "__main__":
    asyncio.run(main())
