"""Benchmark: a full compliance year for many enterprises (default 10,000), five services as processes.

Registration, reports filed and verified, pre and final allocation, CCER deposits, surrenders (every
fifth short), the deadline check, then waiting until every service has consumed every event. Prints the
wall time of each phase and the peak resident memory (VmHWM) of each service process. The same-run
baseline is the year for BENCH_YEAR_BASELINE enterprises (default 100): the ratio shows how the time per
enterprise holds up at scale. BENCH_YEAR_ENTERPRISES and BENCH_YEAR_CONCURRENCY set the volume and load.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from carbon_shared.cli.demo_city import CityApi, file_and_verify, plan_city, register_agency
from carbon_shared.cli.progress import Progress
from carbon_shared.settings import DEV_JWT_SECRET
from carbon_shared.testing.scenario import YEAR, YearRun, allocate_year_of, surrender_one
from carbon_shared.testing.system import SERVICES, System

ENTERPRISES = int(os.environ.get("BENCH_YEAR_ENTERPRISES", "10000"))
BASELINE = int(os.environ.get("BENCH_YEAR_BASELINE", "100"))
CONCURRENCY = int(os.environ.get("BENCH_YEAR_CONCURRENCY", "16"))


async def in_parallel(label: str, items: list, step: Callable[[object], Awaitable[object]]) -> float:
    """Run `step` for every item with CONCURRENCY workers; returns the seconds it took."""
    progress = Progress(f"  {label:<28}", len(items))
    queue = iter(items)

    async def worker() -> None:
        for item in queue:
            await step(item)
            progress.advance()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    progress.finish()
    return time.perf_counter() - started


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def eco_overdue_notices(api: CityApi) -> int:
    total, cursor = 0, None
    while True:
        params = {"limit": 500} | ({"cursor": cursor} if cursor else {})
        response = await api.call(
            "notify", "GET", "/v1/inbox", role="department", claims={"department": "eco"}, params=params
        )
        page = response.json()
        total += sum(1 for item in page["items"] if item["event_type"] == "SurrenderOverdue")
        cursor = page["next_cursor"]
        if not cursor:
            return total


async def settle(api: CityApi, expected_overdue: int) -> float:
    """Wait until every SurrenderOverdue has travelled allowance -> Kafka -> notify -> the eco inbox."""
    started = time.perf_counter()
    while await eco_overdue_notices(api) < expected_overdue:
        if time.perf_counter() - started > 900:
            raise RuntimeError("overdue notices did not all arrive within 15 minutes")
        await asyncio.sleep(0.5)
    return time.perf_counter() - started


async def one_year(system: System, count: int, *, seed: int) -> dict[str, float]:
    api = CityApi(urls={s: system.url(s) for s in SERVICES}, secret=DEV_JWT_SECRET)
    plans = plan_city(count, seed=seed)
    run = YearRun(api, plans, {}, [], {})
    phases: dict[str, float] = {}
    try:
        run.agencies = [
            await register_agency(api, index=seed * 10 + i, name=f"核查机构{seed}-{i}") for i in range(3)
        ]

        async def register(plan) -> None:
            response = await api.call(
                "registry", "POST", "/v1/enterprises", role="regulator", json=plan.body()
            )
            run.ids[plan.index] = response.json()["id"]

        async def verify(plan) -> None:
            run.verified[plan.index] = round(plan.coal_t * 0.55 * 0.99 * 44 / 12, 2)
            await file_and_verify(
                api,
                plan,
                enterprise_id=run.ids[plan.index],
                agency_id=run.agencies[plan.index % 3],
                year=YEAR,
            )

        phases["register"] = await in_parallel("register enterprises", plans, register)
        phases["report+verify"] = await in_parallel("report, submit, assign, verify", plans, verify)
        phases["allocate"] = await in_parallel(
            "allocate pre+final, CCER", plans, lambda p: allocate_year_of(run, p)
        )
        phases["surrender"] = await in_parallel("surrender", plans, lambda p: surrender_one(run, p))
        started = time.perf_counter()
        await api.call(
            "allowance",
            "POST",
            f"/v1/compliance/{YEAR}/deadline-check",
            role="ops",
            json={"as_of": "2025-01-05"},
        )
        phases["deadline check"] = time.perf_counter() - started
        expected = (await api.call("allowance", "GET", f"/v1/compliance/{YEAR}", role="regulator")).json()
        phases["settle"] = await settle(api, expected["overdue"])
    finally:
        await api.close()
    phases["total"] = sum(phases.values())
    return phases


async def main() -> None:
    log_dir = Path(tempfile.mkdtemp(prefix="bench-year-"))
    system = System(
        os.environ["CARBON_TEST_DATABASE_URL"], os.environ["CARBON_TEST_KAFKA_BOOTSTRAP"], log_dir
    )
    print(f"compliance year: baseline {BASELINE} then {ENTERPRISES} enterprises, {CONCURRENCY} clients")
    await system.start()
    try:
        baseline = await one_year(system, BASELINE, seed=1)
        full = await one_year(system, ENTERPRISES, seed=2)
        memory = {s: peak_memory_mib(system.processes[s].pid) for s in SERVICES}
    finally:
        await system.stop()
    print(f"\n{'phase':<18} {'baseline s':>11} {'full s':>9}")
    for phase in full:
        print(f"{phase:<18} {baseline[phase]:11.1f} {full[phase]:9.1f}")
    per_base, per_full = baseline["total"] / BASELINE, full["total"] / ENTERPRISES
    print(
        f"\nper enterprise: baseline {per_base * 1000:.0f} ms, full {per_full * 1000:.0f} ms, "
        f"ratio baseline/full {per_base / per_full:.2f}"
    )
    print("peak resident memory per service (MiB): " + ", ".join(f"{s} {m:.0f}" for s, m in memory.items()))


if __name__ == "__main__":
    asyncio.run(main())
