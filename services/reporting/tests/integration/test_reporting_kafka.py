"""Over the real PostgreSQL and Kafka: registry events build the read models; verification, re-check
and the deadline check state their events on Kafka (each overdue event once, however often it runs)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from carbon_reporting.service.jobs import run_deadline_check
from carbon_shared.bus import make_bus
from carbon_shared.events import decode, topic_for
from carbon_shared.settings import PlatformSettings
from carbon_shared.testing.apps import bearer

pytestmark = pytest.mark.integration

REGULATOR = bearer("regulator")
OPS = bearer("ops")


async def kafka_events(
    platform: PlatformSettings,
    until: Callable[[list[tuple[str, dict[str, Any]]]], bool],
    *,
    settle: float = 1.0,
) -> list[tuple[str, dict[str, Any]]]:
    """(type, payload) of everything on the reporting topic, read until `until` holds, then `settle` s more
    so a duplicate published late would still be seen."""
    bus = make_bus(platform, client_id="reporting-test-reader")
    await bus.start()
    subscription = bus.subscribe(
        group=f"reader-{uuid.uuid4().hex[:8]}", topics=[topic_for("reporting", platform.topic_prefix)]
    )
    await subscription.start()
    seen: list[tuple[str, dict[str, Any]]] = []
    try:
        deadline = asyncio.get_running_loop().time() + 30
        while not until(seen):
            assert asyncio.get_running_loop().time() < deadline, f"events on Kafka so far: {seen}"
            seen += [_typed(m.value) for m in await subscription.fetch(max_records=500, timeout_s=0.5)]
        seen += [_typed(m.value) for m in await subscription.fetch(max_records=500, timeout_s=settle)]
    finally:
        await subscription.stop()
        await bus.stop()
    return seen


def _typed(raw: bytes) -> tuple[str, dict[str, Any]]:
    envelope, event = decode(raw)
    return envelope.type, event.model_dump(mode="json")


def _of(events: list[tuple[str, dict[str, Any]]], event_type: str) -> list[dict[str, Any]]:
    return [payload for kind, payload in events if kind == event_type]


class TestVerificationOnKafka:
    async def test_verification_then_recheck_state_two_revisions(self, reporting_on_kafka: Any) -> None:
        harness = reporting_on_kafka
        await harness.register("E1")  # via Kafka: the consumer keeps the read model
        await harness.agency("A1")
        await harness.agency("A2")
        report = await harness.in_verification("E1", "A1")
        assert (await harness.accept(report["id"], "A1", 199000)).status_code == 200
        recheck = await harness.post(f"/v1/reports/{report['id']}/recheck", REGULATOR, {"reason": "复查"})
        assert recheck.status_code == 200
        await harness.post(f"/v1/reports/{report['id']}/assignment", REGULATOR, {"agency_id": "A2"})
        assert (await harness.accept(report["id"], "A2", 201234.5)).status_code == 200

        events = await kafka_events(
            harness.service.platform, lambda seen: len(_of(seen, "ReportVerified")) >= 2
        )
        verified = _of(events, "ReportVerified")
        assert [(e["revision"], e["verified_emissions_tco2e"], e["agency_id"]) for e in verified] == [
            (1, "199000", "A1"),
            (2, "201234.5", "A2"),
        ]
        assert {e["enterprise_id"] for e in verified} == {"E1"} and {e["year"] for e in verified} == {2024}
        assert [e["reason"] for e in _of(events, "RecheckOrdered")] == ["复查"]
        assert len(_of(events, "ReportSubmitted")) == 1


class TestDeadlinesOnKafka:
    async def test_overdue_events_are_emitted_once_however_often_the_check_runs(
        self, reporting_on_kafka: Any
    ) -> None:
        harness = reporting_on_kafka
        await harness.register("E1")
        await harness.list_emitter("E1", 2024)
        body = {"as_of": "2025-04-01"}
        concurrent = await asyncio.gather(*(harness.post("/v1/deadlines/check", OPS, body) for _ in range(3)))
        assert all(response.status_code == 200 for response in concurrent)
        assert sum(len(response.json()["emitted"]) for response in concurrent) == 13  # 1 report + 12 ledgers
        again = await harness.post("/v1/deadlines/check", REGULATOR, {"as_of": "2025-05-01"})
        assert again.json()["emitted"] == []
        scheduled = await run_deadline_check(harness.service.app.state.runtime)
        assert scheduled.newly_emitted == () and len(scheduled.overdue) == 13

        events = await kafka_events(
            harness.service.platform, lambda seen: len(_of(seen, "LedgerOverdue")) >= 12, settle=2.0
        )
        assert [(e["enterprise_id"], e["year"], e["due_date"]) for e in _of(events, "ReportOverdue")] == [
            ("E1", 2024, "2025-03-31")
        ]
        assert sorted(e["month"] for e in _of(events, "LedgerOverdue")) == list(range(1, 13))
