"""Feed a service events as another service would have published them (tests only)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from carbon_shared.bus import OutgoingMessage, make_bus
from carbon_shared.events import DomainEvent, Envelope, encode, new_envelope, topic_for
from carbon_shared.settings import PlatformSettings


async def publish_events(
    platform: PlatformSettings,
    events: Sequence[DomainEvent],
    *,
    correlation_id: str = "test-correlation",
    event_ids: Sequence[uuid.UUID] | None = None,
) -> list[Envelope]:
    """Publish `events` to their producers' topics on the bus `platform` names; returns the envelopes."""
    envelopes = [
        new_envelope(e, correlation_id=correlation_id, event_id=event_ids[i] if event_ids else None)
        for i, e in enumerate(events)
    ]
    await publish_envelopes(platform, envelopes)
    return envelopes


async def publish_envelopes(platform: PlatformSettings, envelopes: Sequence[Envelope]) -> None:
    bus = make_bus(platform, client_id="test-publisher")
    await bus.start()
    try:
        await bus.publish(
            [
                OutgoingMessage(topic_for(e.producer, platform.topic_prefix), e.subject, encode(e))
                for e in envelopes
            ]
        )
    finally:
        await bus.stop()


async def wait_until(
    check: Callable[[], Awaitable[bool]], *, within: float = 30.0, every: float = 0.1
) -> None:
    """Poll `check` until it is true; fail the test after `within` seconds."""
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {within} s")
        await asyncio.sleep(every)


async def outbox_payloads(app: Any, event_type: str) -> list[dict[str, Any]]:
    """Payloads of the `event_type` events a running service app wrote to its outbox, oldest first."""
    from sqlalchemy import select

    from carbon_shared.db import outbox

    async with app.state.runtime.session_factory() as session:
        rows = await session.execute(
            select(outbox.c.body).where(outbox.c.event_type == event_type).order_by(outbox.c.id)
        )
        return [json.loads(body)["payload"] for body in rows.scalars()]
