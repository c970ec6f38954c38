"""A compliance year for 50 enterprises, five services as separate processes, real PostgreSQL and Kafka.

Run once without faults and once with three: `kill -9` of a consuming service mid-stream (restarted),
the Kafka broker stopped for a while, PostgreSQL restarted. Nothing may be lost or doubled: the final
state read through the public APIs must equal the fault-free run's.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from carbon_shared.testing.scenario import YEAR, drive_year, summarize, verified_emissions
from carbon_shared.testing.system import SERVICES, System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
COUNT = 50


async def run_system(
    tmp_path: Path, pg_admin_url: str, kafka_bootstrap: str, *, faults: bool
) -> dict[str, Any]:
    system = System(pg_admin_url, kafka_bootstrap, tmp_path)
    await system.start()
    restarts: list[asyncio.Task[None]] = []

    async def inject(moment: str) -> None:
        if not faults:
            return
        if moment == "mid-verification":
            system.kill9("allowance")  # consumes ReportVerified right now
            await asyncio.sleep(1)
            await system.restart("allowance")
        elif moment == "before-allocation":
            system.testenv("kafka-stop")
            restarts.append(asyncio.create_task(_kafka_back_after(system, seconds=5)))
        elif moment == "mid-surrender":
            await asyncio.gather(*restarts)
            system.testenv("pg-restart")

    try:
        urls = {service: system.url(service) for service in SERVICES}
        run = await drive_year(urls, fault=inject, count=COUNT)
        try:
            return await settled(lambda: summarize(run))
        finally:
            await run.api.close()
    finally:
        await asyncio.gather(*restarts, return_exceptions=True)
        await system.stop()


async def _kafka_back_after(system: System, *, seconds: float) -> None:
    await asyncio.sleep(seconds)
    await asyncio.to_thread(system.testenv, "kafka-start")


async def settled(read, *, within: float = 120) -> dict[str, Any]:
    """Events are still flowing when the last request returns: read until two reads agree."""
    previous = await read()
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(3)
        current = await read()
        if current == previous:
            return current
        previous = current
    return previous


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    return {}


class TestComplianceYear:
    async def test_fault_free_year(
        self, tmp_path: Path, pg_admin_url: str, kafka_bootstrap: str, results: dict[str, dict[str, Any]]
    ) -> None:
        summary = await run_system(tmp_path, pg_admin_url, kafka_bootstrap, faults=False)
        results["clean"] = summary
        assert_year_is_right(summary)

    async def test_year_with_faults_matches_the_fault_free_run(
        self, tmp_path: Path, pg_admin_url: str, kafka_bootstrap: str, results: dict[str, dict[str, Any]]
    ) -> None:
        if "clean" not in results:
            pytest.fail("the fault-free run must pass first")
        summary = await run_system(tmp_path, pg_admin_url, kafka_bootstrap, faults=True)
        assert summary == results["clean"]


def assert_year_is_right(summary: dict[str, Any]) -> None:
    from carbon_shared.cli.demo_city import plan_city

    plans = {p.uscc: p for p in plan_city(COUNT, seed=7)}
    overdue = {
        u for u, e in summary["enterprises"].items() if any(o[2] == "overdue" for o in e["obligations"])
    }
    assert overdue == {u for u, p in plans.items() if p.index % 5 == 4}
    for uscc, state in summary["enterprises"].items():
        plan = plans[uscc]
        emissions = verified_emissions(plan) * (0.9 if plan.index == 0 else 1)
        assert state["listed_next_year"] == (emissions >= 26_000), uscc
        assert state["obligations"][0][0] == YEAR
        if uscc in overdue:
            assert state["credit"][0] != "green"
        else:
            assert state["obligations"][0][2] == "fulfilled"
    compliance = summary["compliance"]
    assert compliance["obligated"] == COUNT and compliance["overdue"] == len(overdue)
    inbox = summary["inbox"]
    assert inbox["eco"].get("SurrenderOverdue") == len(overdue)
    county_total = sum(inbox[c].get("SurrenderOverdue", 0) for c in ("640502", "640521", "640522", "park"))
    assert county_total == len(overdue)
    assert "SurrenderOverdue" not in inbox["samr"]
