"""`carbonctl tail` and `carbonctl dlq`: watch the event streams and work the dead letters."""

from __future__ import annotations

import argparse
import asyncio
import json
import uuid
from collections.abc import Sequence

from carbon_shared.bus import Bus, IncomingMessage, OutgoingMessage, make_bus
from carbon_shared.events import PRODUCERS, InvalidEvent, dead_letter_topic, decode, topic_for
from carbon_shared.settings import PlatformSettings

CONSUMERS = ("registry", "reporting", "allowance", "credit", "notify")


def matches(message: IncomingMessage, args: argparse.Namespace) -> dict | None:
    """The envelope as a dict when it passes the filters, else None."""
    try:
        envelope, _ = decode(message.value)
    except InvalidEvent as exc:
        return None if (args.type or args.subject or args.correlation_id) else {"invalid": exc.reason}
    if args.type and envelope.type not in args.type:
        return None
    if args.subject and envelope.subject != args.subject:
        return None
    if args.correlation_id and envelope.correlation_id != args.correlation_id:
        return None
    return envelope.model_dump(mode="json")


async def tail(args: argparse.Namespace, settings: PlatformSettings, *, out=print) -> int:
    """Print matching events as JSON lines until interrupted or `--count` are shown."""
    bus = make_bus(settings, client_id="carbonctl")
    await bus.start()
    topics = [topic_for(p, settings.topic_prefix) for p in PRODUCERS]
    subscription = bus.subscribe(
        group=f"carbonctl-tail-{uuid.uuid4().hex[:8]}",
        topics=topics,
        start="earliest" if args.from_beginning else "latest",
    )
    await subscription.start()
    shown = 0
    try:
        while args.count is None or shown < args.count:
            for message in await subscription.fetch(max_records=100, timeout_s=0.5):
                event = matches(message, args)
                if event is not None:
                    out(json.dumps(event, ensure_ascii=False))
                    shown += 1
    finally:
        await subscription.stop()
        await bus.stop()
    return 0


async def read_dead_letters(bus: Bus, settings: PlatformSettings, consumer: str) -> list[IncomingMessage]:
    """Everything in a consumer's dead-letter topic, read without moving any group's position."""
    subscription = bus.subscribe(
        group=f"carbonctl-dlq-{uuid.uuid4().hex[:8]}",
        topics=[dead_letter_topic(consumer, settings.topic_prefix)],
    )
    await subscription.start()
    found: list[IncomingMessage] = []
    try:
        while batch := await subscription.fetch(max_records=500, timeout_s=3.0):
            found += batch
    finally:
        await subscription.stop()
    return found


def describe(message: IncomingMessage) -> dict:
    return {
        "partition": message.partition,
        "offset": message.offset,
        "key": message.key,
        "reason": message.headers.get("x-error-reason"),
        "original": f"{message.headers.get('x-original-topic')}"
        f"@{message.headers.get('x-original-partition')}/{message.headers.get('x-original-offset')}",
        "failed_at": message.headers.get("x-failed-at"),
    }


async def dlq(args: argparse.Namespace, settings: PlatformSettings, *, out=print) -> int:
    bus = make_bus(settings, client_id="carbonctl")
    await bus.start()
    try:
        letters = await read_dead_letters(bus, settings, args.consumer)
        if args.action == "list":
            for message in letters:
                out(json.dumps(describe(message), ensure_ascii=False))
            return 0
        chosen = _select(letters, args.partition, args.offset)
        if not chosen:
            out(f"no dead letter at partition {args.partition} offset {args.offset}")
            return 1
        if args.action == "show":
            detail = describe(chosen[0]) | {"value": chosen[0].value.decode("utf-8", "replace")}
            out(json.dumps(detail, ensure_ascii=False, indent=2))
            return 0
        await replay(bus, chosen)
        out(f"replayed {len(chosen)} message(s) to their original topics")
        return 0
    finally:
        await bus.stop()


def _select(
    letters: Sequence[IncomingMessage], partition: int | None, offset: int | None
) -> list[IncomingMessage]:
    if offset is None:
        return list(letters)
    return [m for m in letters if m.offset == offset and (partition is None or m.partition == partition)]


async def replay(bus: Bus, letters: Sequence[IncomingMessage]) -> None:
    """Send dead letters back to where they came from; consumers drop any already handled."""
    await bus.publish(
        [
            OutgoingMessage(
                m.headers["x-original-topic"],
                m.headers.get("x-original-key") or (m.key or ""),
                m.value,
                {"x-replayed-from": f"{m.topic}@{m.partition}/{m.offset}"},
            )
            for m in letters
        ]
    )


def run(coro) -> int:
    try:
        return asyncio.run(coro)
    except KeyboardInterrupt:
        return 130
