"""What a running service holds: database, bus, outbox relay, consumer and periodic jobs.

`ServiceRuntime.start()` and `stop()` are called by the app's lifespan; tests and the CLI can start a
runtime without HTTP. Shutdown finishes in-flight handlers and flushes the outbox before closing.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from carbon_shared.bus import Bus, make_bus
from carbon_shared.consumer import EventConsumer, Handler
from carbon_shared.db import UnitOfWork, make_engine, make_session_factory
from carbon_shared.events import PRODUCERS, DomainEvent, dead_letter_topic, topic_for
from carbon_shared.metrics import Metrics
from carbon_shared.outbox import OutboxRelay, backlog
from carbon_shared.settings import ServiceSettings

log = logging.getLogger(__name__)

Job = Callable[["ServiceRuntime"], Awaitable[object]]


@dataclass(frozen=True)
class PeriodicJob:
    """A job run every `every` (e.g. a deadline check); it must be idempotent."""

    name: str
    every: dt.timedelta
    run: Job


@dataclass
class ServiceRuntime:
    settings: ServiceSettings
    handlers: Mapping[type[DomainEvent], Handler | Sequence[Handler]] = field(default_factory=dict)
    jobs: Sequence[PeriodicJob] = ()
    metrics: Metrics = field(init=False)
    engine: AsyncEngine = field(init=False)
    session_factory: async_sessionmaker[AsyncSession] = field(init=False)
    bus: Bus = field(init=False)
    relay: OutboxRelay = field(init=False)
    consumer: EventConsumer | None = field(init=False, default=None)
    _tasks: list[asyncio.Task[object]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        name, platform = self.settings.service_name, self.settings.platform
        self.metrics = Metrics(name)
        self.engine = make_engine(self.settings.resolved_database_url())
        self.session_factory = make_session_factory(self.engine)
        self.bus = make_bus(platform, client_id=f"carbon-{name}")
        self.relay = OutboxRelay(
            self.session_factory,
            self.bus,
            service=name,
            batch_size=platform.outbox_batch_size,
            poll_seconds=platform.outbox_poll_seconds,
            retention=dt.timedelta(hours=platform.outbox_retention_hours),
            linger_seconds=platform.outbox_linger_seconds,
            metrics=self.metrics,
        )
        if self.handlers:
            self.consumer = EventConsumer(
                name=name,
                bus=self.bus,
                uow_factory=self.uow,
                handlers=self.handlers,
                topic_prefix=platform.topic_prefix,
                batch_size=platform.consumer_batch_size,
                max_attempts=platform.consumer_max_attempts,
                backoff_seconds=platform.consumer_backoff_seconds,
                metrics=self.metrics,
            )

    def uow(self) -> UnitOfWork:
        return UnitOfWork(
            self.session_factory, topic_prefix=self.settings.platform.topic_prefix, on_commit=self.relay.wake
        )

    async def start(self, *, background: bool = True) -> None:
        await self.bus.start()
        prefix = self.settings.platform.topic_prefix
        topics = [topic_for(p, prefix) for p in PRODUCERS] + [
            dead_letter_topic(self.settings.service_name, prefix)
        ]
        await self.bus.ensure_topics(topics)
        if background:
            self._spawn("outbox-relay", self.relay.run())
            if self.consumer is not None:
                self._spawn("consumer", self.consumer.run())
            for job in self.jobs if self.settings.platform.run_jobs else ():
                self._spawn(job.name, self._every(job))
            self._spawn("outbox-housekeeping", self._housekeeping())

    async def stop(self) -> None:
        if self.consumer is not None:
            await self.consumer.stop()
        await self.relay.stop()
        for task in self._tasks:
            if task.get_name() not in ("consumer", "outbox-relay"):
                task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        await self.bus.stop()
        await self.engine.dispose()

    async def ready(self) -> dict[str, bool]:
        checks = {"database": False, "bus": await self.bus.ping()}
        with contextlib.suppress(Exception):
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            checks["database"] = True
        return checks

    async def refresh_gauges(self) -> None:
        async with self.session_factory() as session:
            rows, oldest = await backlog(session)
        self.metrics.outbox_backlog.set(rows)
        age = (dt.datetime.now(dt.UTC) - oldest).total_seconds() if oldest else 0.0
        self.metrics.outbox_oldest_age.set(age)
        if self.consumer is not None and self.consumer.subscription is not None:
            with contextlib.suppress(Exception):
                self.metrics.consumer_lag.set(await self.consumer.subscription.lag())

    def _spawn(self, name: str, coro: Awaitable[object]) -> None:
        task: asyncio.Task[object] = asyncio.ensure_future(coro)
        task.set_name(name)
        task.add_done_callback(_log_crash)
        self._tasks.append(task)

    async def _every(self, job: PeriodicJob) -> None:
        while True:
            try:
                await job.run(self)
            except Exception:
                log.exception("periodic job %s failed; next run on schedule", job.name)
            await asyncio.sleep(job.every.total_seconds())

    async def _housekeeping(self) -> None:
        while True:
            await asyncio.sleep(3600)
            with contextlib.suppress(Exception):
                await self.relay.purge_published()


def _log_crash(task: asyncio.Task[object]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background task %s crashed", task.get_name(), exc_info=task.exception())
