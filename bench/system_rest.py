"""Benchmark: REST latency and throughput of hot endpoints, and verification-to-inbox latency.

The five services run as separate uvicorn processes on the real PostgreSQL and Kafka (as in
production); a bare FastAPI app (bench/bare_app.py) runs beside them as the same-run baseline. A load of
BENCH_CONCURRENCY clients (default 16) sends BENCH_REQUESTS requests (default 2,000) per endpoint.
Prints p50/p99 latency, requests/s and the ratio to the bare endpoint.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from carbon_shared.cli.demo_city import (
    CityApi,
    file_and_verify,
    plan_city,
    register_agency,
    register_enterprises,
)
from carbon_shared.cli.progress import Progress
from carbon_shared.settings import DEV_JWT_SECRET
from carbon_shared.testing.system import ROOT, SERVICES, System, free_port

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
LATENCY_SAMPLES = int(os.environ.get("BENCH_LATENCY_SAMPLES", "40"))


async def load(label: str, client: httpx.AsyncClient, request: Callable[[int], Any]) -> dict[str, float]:
    """Send REQUESTS requests from CONCURRENCY workers; latency per request, throughput overall."""
    latencies: list[float] = []
    counter = iter(range(REQUESTS))
    progress = Progress(f"  {label:<40}", REQUESTS)

    async def worker() -> None:
        for i in counter:
            started = time.perf_counter()
            response = await request(i)
            latencies.append(time.perf_counter() - started)
            if response.status_code >= 400:
                raise RuntimeError(f"{label}: {response.status_code} {response.text[:300]}")
            progress.advance()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    progress.finish()
    cuts = statistics.quantiles(latencies, n=100)
    return {"p50_ms": cuts[49] * 1000, "p99_ms": cuts[98] * 1000, "rps": REQUESTS / elapsed}


def start_bare(log_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = (log_dir / "bare.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(port), "--no-access-log"],
        cwd=ROOT / "bench",
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    return process, f"http://127.0.0.1:{port}"


async def wait_up(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                if (await client.get(f"{url}/bare/x")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("bare app did not start")


def report(rows: list[tuple[str, dict[str, float]]], baseline: dict[str, float]) -> None:
    print(f"{'endpoint':<44} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'ratio':>6}")
    for name, figures in rows:
        ratio = figures["rps"] / baseline["rps"]
        print(
            f"{name:<44} {figures['p50_ms']:8.1f} {figures['p99_ms']:8.1f} {figures['rps']:8.0f} {ratio:6.2f}"
        )


async def verification_to_inbox(
    api: CityApi, system: System, ids: dict[int, str], agency: str
) -> dict[str, float]:
    """Time from the verifier's request to the ReportVerified notice in the enterprise's inbox."""
    plans = plan_city(LATENCY_SAMPLES, seed=99)
    fresh = await register_enterprises(api, plans)
    latencies = []
    progress = Progress("  verification -> enterprise inbox", len(plans))
    for plan in plans:
        eid = fresh[plan.index]
        started = time.perf_counter()
        await file_and_verify(api, plan, enterprise_id=eid, agency_id=agency, year=2023)
        verified_at = time.perf_counter()
        while True:
            inbox = await api.call(
                "notify", "GET", "/v1/inbox", role="enterprise", claims={"enterprise_id": eid}
            )
            if any(item["event_type"] == "ReportVerified" for item in inbox.json()["items"]):
                break
            await asyncio.sleep(0.01)
        latencies.append(time.perf_counter() - verified_at)
        del started
        progress.advance()
    progress.finish()
    cuts = statistics.quantiles(latencies, n=100)
    return {"p50_ms": cuts[49] * 1000, "p99_ms": cuts[98] * 1000}


async def main() -> None:
    log_dir = Path(tempfile.mkdtemp(prefix="bench-rest-"))
    system = System(
        os.environ["CARBON_TEST_DATABASE_URL"], os.environ["CARBON_TEST_KAFKA_BOOTSTRAP"], log_dir
    )
    print(f"REST benchmark: {REQUESTS} requests per endpoint, {CONCURRENCY} clients; logs in {log_dir}")
    await system.start()
    bare, bare_url = start_bare(log_dir)
    api = CityApi(urls={s: system.url(s) for s in SERVICES}, secret=DEV_JWT_SECRET)
    try:
        await wait_up(bare_url)
        ids = await register_enterprises(api, plan_city(20, seed=1))
        agency = await register_agency(api, index=1, name="基准核查机构")
        latency = await verification_to_inbox(api, system, ids, agency)
        rows = await run_loads(api, bare_url, ids)
        baseline_read, baseline_write = rows[0][1], rows[1][1]
        print("\nreads (ratio to the bare GET):")
        report([r for r in rows if r[0].startswith("GET")], baseline_read)
        print("\nwrites (ratio to the bare POST):")
        report([r for r in rows if r[0].startswith("POST")], baseline_write)
        print(
            f"\nverification request -> enterprise inbox: p50 {latency['p50_ms']:.0f} ms, "
            f"p99 {latency['p99_ms']:.0f} ms ({LATENCY_SAMPLES} samples; bare GET p50 "
            f"{baseline_read['p50_ms']:.1f} ms)"
        )
    finally:
        await api.close()
        bare.terminate()
        await system.stop()


async def run_loads(api: CityApi, bare_url: str, ids: dict[int, str]) -> list[tuple[str, dict[str, float]]]:
    eid = ids[0]
    regulator = api.token("regulator")
    new_plans = plan_city(REQUESTS + 100, seed=5)[100:]
    rows = []
    async with httpx.AsyncClient(base_url=bare_url, timeout=60) as bare:
        rows.append(("GET bare FastAPI", await load("GET bare", bare, lambda i: bare.get(f"/bare/{i}"))))
        rows.append(
            (
                "POST bare FastAPI",
                await load(
                    "POST bare", bare, lambda i: bare.post("/bare", json={"name": "企业", "amount": i})
                ),
            )
        )
    registry, allowance, credit = api.client("registry"), api.client("allowance"), api.client("credit")
    rows.append(
        (
            "GET registry /v1/enterprises/{id}",
            await load(
                "GET enterprise",
                registry,
                lambda i: registry.get(f"/v1/enterprises/{eid}", headers=regulator),
            ),
        )
    )
    rows.append(
        (
            "GET allowance /v1/accounts/{id}",
            await load(
                "GET account", allowance, lambda i: allowance.get(f"/v1/accounts/{eid}", headers=regulator)
            ),
        )
    )
    rows.append(
        (
            "GET credit /v1/credit/enterprises/{id}",
            await load(
                "GET credit", credit, lambda i: credit.get(f"/v1/credit/enterprises/{eid}", headers=regulator)
            ),
        )
    )
    rows.append(
        (
            "POST registry /v1/enterprises",
            await load(
                "POST enterprise",
                registry,
                lambda i: registry.post("/v1/enterprises", json=new_plans[i].body(), headers=regulator),
            ),
        )
    )
    rows.append(
        (
            "POST allowance /v1/ccer-deposits",
            await load(
                "POST ccer deposit",
                allowance,
                lambda i: allowance.post(
                    "/v1/ccer-deposits",
                    headers=regulator,
                    json={"enterprise_id": eid, "amount": 10, "project_ref": "CCER-640521-WIND-001"},
                ),
            ),
        )
    )
    return rows


if __name__ == "__main__":
    asyncio.run(main())
