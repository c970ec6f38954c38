"""carbonctl against the real Kafka: tail a live event; list and replay a dead letter."""

from __future__ import annotations

import argparse
import asyncio
import json

import pytest

from carbon_shared.bus.kafka import KafkaBus
from carbon_shared.cli import events_cmd
from carbon_shared.cli.main import build_parser
from carbon_shared.consumer import EventConsumer
from carbon_shared.db import UnitOfWork, make_engine, make_session_factory, platform_metadata
from carbon_shared.events import PRODUCERS, EnterpriseClosed, dead_letter_topic, topic_for
from carbon_shared.settings import PlatformSettings
from carbon_shared.testing.events import publish_events, wait_until

from .conftest import closure

pytestmark = pytest.mark.integration


def parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


@pytest.fixture
def kafka_settings(kafka_bootstrap: str, topic_prefix: str) -> PlatformSettings:
    return PlatformSettings(bus="kafka", kafka_bootstrap=kafka_bootstrap, topic_prefix=topic_prefix)


async def ensure_topics(settings: PlatformSettings) -> None:
    bus = KafkaBus(settings.kafka_bootstrap)
    prefix = settings.topic_prefix
    await bus.ensure_topics([topic_for(p, prefix) for p in PRODUCERS] + [dead_letter_topic("credit", prefix)])


class TestTail:
    async def test_tails_a_live_event_with_filters(self, kafka_settings: PlatformSettings) -> None:
        await ensure_topics(kafka_settings)
        lines: list[str] = []
        args = parse("tail", "--type", "EnterpriseClosed", "--subject", "ent-live", "--count", "1")
        task = asyncio.create_task(events_cmd.tail(args, kafka_settings, out=lines.append))
        while not task.done():  # keep publishing until the tailer, positioned at "latest", sees one
            await publish_events(kafka_settings, [closure("ent-other"), closure("ent-live", reason="实时")])
            await asyncio.wait([task], timeout=1.0)
        assert task.result() == 0
        shown = json.loads(lines[0])
        assert shown["type"] == "EnterpriseClosed" and shown["subject"] == "ent-live"
        assert shown["payload"]["reason"] == "实时"


class TestDeadLetterReplay:
    async def test_dead_letter_is_listed_and_replayed_successfully(
        self, kafka_settings: PlatformSettings, pg_admin_url: str, tmp_path
    ) -> None:
        await ensure_topics(kafka_settings)
        engine = make_engine(f"sqlite+aiosqlite:///{tmp_path}/credit.db")
        async with engine.begin() as conn:
            await conn.run_sync(platform_metadata.create_all)
        sessions = make_session_factory(engine)
        handled: list[str] = []
        broken = {"yes": True}

        async def record(uow: UnitOfWork, event: EnterpriseClosed, _: object) -> None:
            if broken["yes"]:
                raise RuntimeError("downstream bug")
            handled.append(event.enterprise_id)

        bus = KafkaBus(kafka_settings.kafka_bootstrap)
        await bus.start()
        consumer = EventConsumer(
            name="credit",
            bus=bus,
            handlers={EnterpriseClosed: record},
            topic_prefix=kafka_settings.topic_prefix,
            uow_factory=lambda: UnitOfWork(sessions),
            max_attempts=1,
            backoff_seconds=0.01,
        )
        task = asyncio.create_task(consumer.run())
        try:
            await publish_events(kafka_settings, [closure("ent-dlq")])
            listed: list[str] = []

            async def dead_lettered() -> bool:
                listed.clear()
                await events_cmd.dlq(parse("dlq", "list", "credit"), kafka_settings, out=listed.append)
                return len(listed) == 1

            await wait_until(dead_lettered, within=30, every=0.5)
            letter = json.loads(listed[0])
            assert "downstream bug" in letter["reason"]
            broken["yes"] = False  # the bug is fixed; replay the letter
            replay = parse("dlq", "replay", "credit", "--offset", str(letter["offset"]))
            assert await events_cmd.dlq(replay, kafka_settings, out=lambda _: None) == 0

            async def handled_once() -> bool:
                return handled == ["ent-dlq"]

            await wait_until(handled_once, within=30)
        finally:
            await consumer.stop()
            await task
            await bus.stop()
            await engine.dispose()
