"""Done when 4: the SSE stream delivers a live event within a second, filters, and resumes from
Last-Event-ID. Served over a real socket (uvicorn) because a stream never ends."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from carbon_shared.events import ReportOverdue
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.events import publish_events

pytestmark = pytest.mark.integration

OPS = bearer("ops")


def _overdue(enterprise_id: str, year: int) -> ReportOverdue:
    return ReportOverdue(enterprise_id=enterprise_id, year=year, due_date=dt.date(year + 1, 3, 31))


@asynccontextmanager
async def _listen(
    base: str, headers: dict[str, str], **params: Any
) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
    """Read SSE frames into a queue: each frame as {"id", "event", "data", "received"}."""
    frames: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    opened = asyncio.Event()

    async def read() -> None:
        async with (
            httpx.AsyncClient(base_url=base, timeout=None) as client,
            client.stream("GET", "/v1/events/stream", headers=headers, params=params) as response,
        ):
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            frame: dict[str, Any] = {}
            async for line in response.aiter_lines():
                opened.set()
                if line == "":
                    if "data" in frame:
                        await frames.put({**frame, "received": time.monotonic()})
                    frame = {}
                elif not line.startswith(":"):
                    name, _, value = line.partition(": ")
                    frame[name] = value

    task = asyncio.create_task(read())
    await asyncio.wait_for(opened.wait(), timeout=10)
    try:
        yield frames
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def _next(frames: asyncio.Queue[dict[str, Any]]) -> dict[str, Any]:
    return await asyncio.wait_for(frames.get(), timeout=20)


class TestEventStream:
    async def test_live_within_a_second_filtered_and_resumable(
        self, notify_pg: str, kafka_app: Any, serve: Any
    ) -> None:
        app = kafka_app(notify_pg)
        platform = app.state.settings.platform
        async with serve(app) as base:
            async with _listen(base, OPS, type="ReportOverdue", subject="ent-a") as frames:
                await publish_events(platform, [_overdue("ent-a", 2020)])  # warm-up: consumer group joined
                warm = await _next(frames)
                await publish_events(platform, [_overdue("ent-b", 2021), _overdue("ent-a", 2022)])
                published = time.monotonic()
                live = await _next(frames)
            assert json.loads(live["data"])["payload"] == {
                "enterprise_id": "ent-a",
                "year": 2022,
                "due_date": "2023-03-31",
            }
            assert live["received"] - published < 1.0
            assert live["event"] == "ReportOverdue" and int(live["id"]) > int(warm["id"])

            await publish_events(platform, [_overdue("ent-c", 2023)])  # while nobody listens
            async with _listen(base, {**OPS, "Last-Event-ID": warm["id"]}) as resumed:
                replay = [await _next(resumed) for _ in range(3)]
            async with httpx.AsyncClient(base_url=base) as client:
                refused = await client.get(
                    "/v1/events/stream", headers=bearer("enterprise", enterprise_id="ent-a")
                )
        subjects = [json.loads(f["data"])["subject"] for f in replay]
        # everything after the given id, in arrival order (ent-a and ent-b travel on different partitions)
        assert sorted(subjects[:2]) == ["ent-a", "ent-b"] and subjects[2] == "ent-c"
        assert [int(f["id"]) for f in replay] == sorted(int(f["id"]) for f in replay)
        assert refused.status_code == 403
