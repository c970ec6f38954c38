"""Done when 3: one notification per (event, recipient, channel) under redelivery and restarts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from carbon_notify.db.tables import event_log, notifications
from carbon_shared.db.tables import processed_events
from carbon_shared.events import Contact, EnterpriseRegistered, Envelope, LedgerOverdue, new_envelope
from carbon_shared.testing.events import publish_envelopes, wait_until

pytestmark = pytest.mark.integration

E = "ent-once-1"
MONTHS = 24  # LedgerOverdue -> enterprise (inbox, email, sms) + eco (inbox): 4 notifications each
PER_EVENT = 4


def _envelopes() -> list[Envelope]:
    registered = EnterpriseRegistered(
        enterprise_id=E,
        uscc="91640522MA7XXXXXX3",
        name="海原县某水泥有限公司",
        sector="building_materials",
        county_code="640522",
        status="active",
        contacts=[Contact(name="马强", email="ma@example.cn", phone="13700000000")],
    )
    ledgers = [
        LedgerOverdue(enterprise_id=E, year=2023 + m // 12, month=m % 12 + 1, due_date=dt.date(2024, 1, 1))
        for m in range(MONTHS)
    ]
    return [new_envelope(e, correlation_id="once", event_id=uuid.uuid4()) for e in [registered, *ledgers]]


async def _scalar(svc: Any, query: Any) -> int:
    async with svc.app.state.runtime.session_factory() as session:
        return int(await session.scalar(query) or 0)


NOTIFICATIONS = select(func.count()).select_from(notifications)
TRIPLES = select(func.count()).select_from(
    select(
        notifications.c.event_id,
        notifications.c.recipient_kind,
        notifications.c.recipient_id,
        notifications.c.channel,
    )
    .distinct()
    .subquery()
)
LOGGED = select(func.count()).select_from(event_log)


class TestExactlyOnce:
    async def test_duplicates_and_a_restart_mid_stream_create_no_duplicate(
        self, notify_pg: str, start_notify: Any
    ) -> None:
        envelopes = _envelopes()
        small_batches = {"consumer_batch_size": 5}
        async with start_notify(notify_pg, platform=small_batches) as first:
            await publish_envelopes(first.platform, envelopes + envelopes)  # Kafka delivers twice

            async def some_routed() -> bool:
                return await _scalar(first, NOTIFICATIONS) > 0

            await wait_until(some_routed, within=30)
            # leaving the block stops the lifespan while the consumer is still mid-stream
        async with start_notify(notify_pg, platform=small_batches) as second:
            await publish_envelopes(second.platform, envelopes)  # and once more after the restart

            async def all_logged() -> bool:
                return await _scalar(second, LOGGED) == len(envelopes)

            await wait_until(all_logged, within=30)
            await wait_until(lambda: _settled(second), within=30)
            total, triples = await _scalar(second, NOTIFICATIONS), await _scalar(second, TRIPLES)
        assert total == triples == MONTHS * PER_EVENT

    async def test_the_unique_key_holds_even_when_the_inbox_forgets(
        self, notify_pg: str, start_notify: Any
    ) -> None:
        envelopes = _envelopes()
        async with start_notify(notify_pg) as svc:
            await publish_envelopes(svc.platform, envelopes)

            async def routed() -> bool:
                return await _scalar(svc, NOTIFICATIONS) == MONTHS * PER_EVENT

            await wait_until(routed, within=30)
            async with svc.app.state.runtime.session_factory() as session, session.begin():
                await session.execute(delete(processed_events))  # the consumer no longer knows them
            await publish_envelopes(svc.platform, envelopes)

            async def reprocessed() -> bool:
                return await _scalar(svc, select(func.count()).select_from(processed_events)) == len(
                    envelopes
                )

            await wait_until(reprocessed, within=30)
            total = await _scalar(svc, NOTIFICATIONS)
        assert total == MONTHS * PER_EVENT


async def _settled(svc: Any) -> bool:
    """Every logged event's notifications are in (they commit in the same transaction as the log)."""
    return await _scalar(svc, NOTIFICATIONS) == MONTHS * PER_EVENT
