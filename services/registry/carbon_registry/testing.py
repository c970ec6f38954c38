"""Test support for the registry service (its own tests, the benchmark): valid USCCs, request bodies,
feeding it events, reading what it emitted. Not imported by the service itself."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from carbon_registry.domain.uscc import complete_uscc
from carbon_registry.reference import load_uscc_standard
from carbon_shared.bus import make_bus
from carbon_shared.db import outbox, processed_events
from carbon_shared.events import ReportVerified, decode, new_envelope, topic_for
from carbon_shared.settings import PlatformSettings
from carbon_shared.testing.events import publish_envelopes, wait_until
from carbon_shared.testing.services import RunningService

COUNTIES = ("640502", "640521", "640522")


def valid_uscc(index: int, county_code: str = "640521") -> str:
    """A USCC with a correct check digit: registration 9, type 1, the county's division, a serial."""
    charset = load_uscc_standard().charset
    serial, n = "", index
    for _ in range(9):
        n, digit = divmod(n, len(charset))
        serial += charset[digit]
    return complete_uscc(body=f"91{county_code}{serial[::-1]}", standard=load_uscc_standard())


def enterprise_body(index: int, **overrides: Any) -> dict[str, Any]:
    county = COUNTIES[index % len(COUNTIES)]
    body: dict[str, Any] = {
        "uscc": valid_uscc(index, county),
        "name": f"中卫市宏达发电有限公司{index:05d}",
        "sector": "power",
        "county_code": county,
        "contacts": [{"name": "王芳", "email": f"wang{index}@example.cn", "phone": "13912345678"}],
    }
    return body | overrides


def verified(enterprise_id: str, year: int, tonnes: str, *, revision: int = 1) -> ReportVerified:
    return ReportVerified(
        report_id=f"R-{enterprise_id[:8]}-{year}",
        enterprise_id=enterprise_id,
        year=year,
        revision=revision,
        verified_emissions_tco2e=Decimal(tonnes),
        agency_id="A1",
        verified_by="verifier-1",
        verified_on=dt.date(year + 1, 6, 1),
    )


async def feed(service: RunningService, events: Sequence[ReportVerified]) -> None:
    """Publish events as the reporting service would and wait until the registry consumer handled them."""
    envelopes = [new_envelope(event, correlation_id="test") for event in events]
    await publish_envelopes(service.platform, envelopes)
    wanted = {e.event_id for e in envelopes}

    async def handled() -> bool:
        async with service.app.state.runtime.session_factory() as session:
            query = select(processed_events.c.event_id).where(processed_events.c.event_id.in_(wanted))
            return set((await session.execute(query)).scalars()) == wanted

    await wait_until(handled, within=30)


async def emitted(service: RunningService, event_type: str) -> list[dict[str, Any]]:
    """Payloads of the events of `event_type` the registry wrote to its outbox, in order."""
    async with service.app.state.runtime.session_factory() as session:
        query = select(outbox.c.body).where(outbox.c.event_type == event_type).order_by(outbox.c.id)
        bodies = (await session.execute(query)).scalars().all()
    return [decode(body)[1].model_dump(mode="json") for body in bodies]


async def bus_events(
    platform: PlatformSettings,
    until: Callable[[list[tuple[str, dict[str, Any]]]], bool],
    *,
    settle: float = 1.0,
) -> list[tuple[str, dict[str, Any]]]:
    """(type, payload) of everything on the registry topic, read with a fresh subscription until `until`
    holds, then `settle` seconds more so a late duplicate would be seen too."""
    bus = make_bus(platform, client_id="registry-test-reader")
    await bus.start()
    subscription = bus.subscribe(
        group=f"reader-{uuid.uuid4().hex[:8]}", topics=[topic_for("registry", platform.topic_prefix)]
    )
    await subscription.start()
    seen: list[tuple[str, dict[str, Any]]] = []
    try:
        deadline = asyncio.get_running_loop().time() + 30
        while not until(seen):
            assert asyncio.get_running_loop().time() < deadline, f"registry events so far: {seen}"
            seen += [_typed(m.value) for m in await subscription.fetch(max_records=500, timeout_s=0.5)]
        seen += [_typed(m.value) for m in await subscription.fetch(max_records=500, timeout_s=settle)]
    finally:
        await subscription.stop()
        await bus.stop()
    return seen


def _typed(raw: bytes) -> tuple[str, dict[str, Any]]:
    envelope, event = decode(raw)
    return envelope.type, event.model_dump(mode="json")


def of_type(events: list[tuple[str, dict[str, Any]]], event_type: str) -> list[dict[str, Any]]:
    return [payload for kind, payload in events if kind == event_type]
