"""Test support for the credit service (its own tests and whole-system tests): run it, feed it events.

Not imported by the service itself.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import select

from carbon_shared.db import processed_events
from carbon_shared.events import DomainEvent, EnterpriseRegistered, Envelope, new_envelope
from carbon_shared.testing.events import publish_envelopes, wait_until
from carbon_shared.testing.services import RunningService


def envelope(
    event: DomainEvent, *, at: dt.datetime | None = None, event_id: uuid.UUID | None = None
) -> Envelope:
    return new_envelope(event, correlation_id="test", event_id=event_id, occurred_at=at)


async def feed(service: RunningService, envelopes: Sequence[Envelope]) -> None:
    """Publish envelopes as their producers would, and wait until the credit consumer handled them all."""
    await publish_envelopes(service.platform, envelopes)
    wanted = {e.event_id for e in envelopes}

    async def handled() -> bool:
        async with service.app.state.runtime.session_factory() as session:
            query = select(processed_events.c.event_id).where(processed_events.c.event_id.in_(wanted))
            return set((await session.execute(query)).scalars()) == wanted

    await wait_until(handled, within=30)


def registered(enterprise_id: str, name: str = "中卫市宏达发电有限公司") -> EnterpriseRegistered:
    return EnterpriseRegistered(
        enterprise_id=enterprise_id,
        uscc="91640500MA76P2XK3C",
        name=name,
        sector="power",
        county_code="640502",
        status="active",
    )
