"""The platform's delivery guarantees, proven on the real Kafka + PostgreSQL and on the embedded bus."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import pytest

from carbon_shared.bus import IncomingMessage, OutgoingMessage
from carbon_shared.consumer import EventConsumer
from carbon_shared.events import encode, new_envelope, topic_for

from .conftest import EventPath, closure

pytestmark = pytest.mark.integration


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


@contextlib.asynccontextmanager
async def consuming(consumer: EventConsumer):
    task = asyncio.create_task(consumer.run())
    try:
        yield consumer
    finally:
        await consumer.stop()
        await asyncio.wait_for(task, timeout=30)


async def read_all(path: EventPath, topic: str, expected: int) -> list[IncomingMessage]:
    subscription = path.bus.subscribe(group="inspector", topics=[topic])
    await subscription.start()
    found: list[IncomingMessage] = []
    try:
        deadline = asyncio.get_running_loop().time() + 30
        while len(found) < expected and asyncio.get_running_loop().time() < deadline:
            found += await subscription.fetch(max_records=100, timeout_s=0.5)
    finally:
        await subscription.stop()
    return found


class TestOutboxToHandler:
    async def test_events_committed_in_a_then_handled_in_b_in_order_per_subject(
        self, event_path: EventPath
    ) -> None:
        async with event_path.producer_uow() as uow:
            for i in range(30):
                await uow.emit(closure(f"ent-{i % 3}", reason=f"step-{i:02d}"))
            await uow.commit()
        assert await event_path.relay().publish_pending() == 30
        async with consuming(event_path.consumer()):
            await eventually(lambda: _count_is(event_path, 30))
        rows = await event_path.received()
        for subject in ("ent-0", "ent-1", "ent-2"):
            reasons = [reason for s, reason in rows if s == subject]
            assert reasons == sorted(reasons) and len(reasons) == 10

    async def test_rolled_back_work_publishes_nothing(self, event_path: EventPath) -> None:
        async with event_path.producer_uow() as uow:
            await uow.emit(closure("ent-x"))
        assert await event_path.relay().publish_pending() == 0


class TestCrashBetweenCommitAndPublish:
    async def test_committed_event_goes_out_after_restart(self, event_path: EventPath) -> None:
        async with event_path.producer_uow() as uow:
            await uow.emit(closure("ent-1", reason="committed-before-crash"))
            await uow.commit()
        # The process dies here: no relay ran. A new relay after restart finds the row.
        restarted = event_path.relay()
        assert await restarted.publish_pending() == 1
        async with consuming(event_path.consumer()):
            await eventually(lambda: _count_is(event_path, 1))
        assert await event_path.received() == [("ent-1", "committed-before-crash")]

    async def test_crash_after_publish_before_marking_sent_is_not_a_double_effect(
        self, event_path: EventPath
    ) -> None:
        async with event_path.producer_uow() as uow:
            await uow.emit(closure("ent-2", reason="published-twice"))
            await uow.commit()
        real_publish = event_path.bus.publish

        async def publish_then_crash(messages: list[OutgoingMessage]) -> None:
            await real_publish(messages)
            raise ConnectionAbortedError("relay killed after the broker acknowledged")

        event_path.bus.publish = publish_then_crash  # type: ignore[method-assign]
        with pytest.raises(ConnectionAbortedError):
            await event_path.relay().publish_pending()
        event_path.bus.publish = real_publish  # type: ignore[method-assign]
        assert await event_path.relay().publish_pending() == 1  # the row was never marked: out again
        async with consuming(event_path.consumer()):
            await eventually(lambda: _count_is(event_path, 1))
            await asyncio.sleep(1.0)
        assert await event_path.received() == [("ent-2", "published-twice")]


class TestIdempotentConsumer:
    async def test_same_event_delivered_twice_has_one_effect(self, event_path: EventPath) -> None:
        envelope = new_envelope(closure("ent-3", reason="once"), correlation_id="corr-1")
        message = OutgoingMessage(topic_for("registry", event_path.prefix), "ent-3", encode(envelope))
        await event_path.bus.publish([message])
        await event_path.bus.publish([message])
        async with consuming(event_path.consumer()):
            await eventually(lambda: _count_is(event_path, 1))
            await asyncio.sleep(1.0)
        assert await event_path.received_count() == 1

    async def test_redelivery_after_restart_changes_nothing(self, event_path: EventPath) -> None:
        envelope = new_envelope(closure("ent-4", reason="restart"), correlation_id="corr-2")
        await event_path.bus.publish(
            [OutgoingMessage(topic_for("registry", event_path.prefix), "ent-4", encode(envelope))]
        )
        first = event_path.consumer()
        async with consuming(first):
            await eventually(lambda: _count_is(event_path, 1))
        # Handle the same messages again as if the offset commit had been lost.
        replay = event_path.bus.subscribe(group="replayer", topics=[topic_for("registry", event_path.prefix)])
        await replay.start()
        messages = await replay.fetch(max_records=10, timeout_s=5)
        await replay.stop()
        await event_path.consumer().handle(messages)
        assert await event_path.received_count() == 1


class TestDeadLetters:
    async def test_poison_and_unknown_messages_go_to_dlq_and_the_next_one_is_handled(
        self, event_path: EventPath
    ) -> None:
        topic = topic_for("registry", event_path.prefix)
        unknown = new_envelope(closure("ent-5"), correlation_id="c").model_copy(
            update={"type": "NoSuchEvent"}
        )
        poison = new_envelope(closure("ent-5", reason="poison"), correlation_id="c")
        good = new_envelope(closure("ent-5", reason="after-poison"), correlation_id="c")
        await event_path.bus.publish(
            [
                OutgoingMessage(topic, "ent-5", b"{not json"),
                OutgoingMessage(topic, "ent-5", encode(unknown)),
                OutgoingMessage(topic, "ent-5", encode(poison)),
                OutgoingMessage(topic, "ent-5", encode(good)),
            ]
        )
        consumer = event_path.consumer(max_attempts=2)
        async with consuming(consumer):
            await eventually(lambda: _count_is(event_path, 1))
        assert await event_path.received() == [("ent-5", "after-poison")]
        dead = await read_all(event_path, consumer.dead_letter_topic, expected=3)
        reasons = sorted(m.headers["x-error-reason"] for m in dead)
        assert len(dead) == 3
        assert any(r.startswith("not JSON") for r in reasons)
        assert any("unknown event type NoSuchEvent" in r for r in reasons)
        assert any("handler failed 2 times" in r and "can never be handled" in r for r in reasons)
        assert all(m.headers["x-original-topic"] == topic for m in dead)


async def _count_is(path: EventPath, n: int) -> bool:
    return await path.received_count() >= n


class TestSupervision:
    async def test_consumer_resubscribes_after_its_subscription_fails(self, event_path: EventPath) -> None:
        real_subscribe = event_path.bus.subscribe
        failures = {"left": 1}

        def flaky_subscribe(**kwargs: object):
            subscription = real_subscribe(**kwargs)  # type: ignore[arg-type]
            real_fetch = subscription.fetch

            async def fetch(**fetch_kwargs: object):
                if failures["left"]:
                    failures["left"] -= 1
                    raise RuntimeError("broker connection reset")
                return await real_fetch(**fetch_kwargs)  # type: ignore[arg-type]

            subscription.fetch = fetch  # type: ignore[method-assign]
            return subscription

        event_path.bus.subscribe = flaky_subscribe  # type: ignore[method-assign]
        await event_path.bus.publish(
            [
                OutgoingMessage(
                    topic_for("registry", event_path.prefix),
                    "ent-6",
                    encode(new_envelope(closure("ent-6", reason="survived"), correlation_id="c")),
                )
            ]
        )
        async with consuming(event_path.consumer()):
            await eventually(lambda: _count_is(event_path, 1))
        assert failures["left"] == 0
        assert await event_path.received() == [("ent-6", "survived")]
