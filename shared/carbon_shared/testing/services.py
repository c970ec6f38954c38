"""Run one service for a test: fresh database, migrations applied, real bus, lifespan started."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from carbon_shared.settings import PlatformSettings, ServiceSettings
from carbon_shared.testing.apps import running
from carbon_shared.testing.fixtures import create_database, drop_database, migrate


@dataclass
class RunningService:
    client: httpx.AsyncClient
    app: FastAPI
    settings: ServiceSettings

    @property
    def platform(self) -> PlatformSettings:
        return self.settings.platform


@asynccontextmanager
async def kafka_service(
    *,
    settings_cls: type[ServiceSettings],
    create_app: Callable[[Any], FastAPI],
    pg_admin_url: str,
    kafka_bootstrap: str,
    topic_prefix: str,
    **platform: Any,
) -> AsyncIterator[RunningService]:
    """The production shape: PostgreSQL database of its own + Kafka, migrated by Alembic."""
    name = f"test_{settings_cls.service_name}_{uuid.uuid4().hex[:8]}"
    url = await create_database(pg_admin_url, name)
    try:
        platform_settings = _quick(
            bus="kafka", kafka_bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, **platform
        )
        async with _migrated_and_running(settings_cls, create_app, url, platform_settings) as service:
            yield service
    finally:
        await drop_database(pg_admin_url, name)


@asynccontextmanager
async def embedded_service(
    *,
    settings_cls: type[ServiceSettings],
    create_app: Callable[[Any], FastAPI],
    data_dir: Path,
    **platform: Any,
) -> AsyncIterator[RunningService]:
    """The `make run` shape: SQLite file + embedded bus in `data_dir`. Good for fast API tests."""
    url = f"sqlite+aiosqlite:///{data_dir / settings_cls.service_name}.db"
    platform_settings = _quick(bus="embedded", data_dir=data_dir, **platform)
    async with _migrated_and_running(settings_cls, create_app, url, platform_settings) as service:
        yield service


def _quick(**overrides: Any) -> PlatformSettings:
    """Platform settings for tests: plain logs, short polls and backoffs (overridable)."""
    defaults: dict[str, Any] = {
        "log_json": False,
        "consumer_backoff_seconds": 0.05,
        "outbox_poll_seconds": 0.05,
    }
    return PlatformSettings(**(defaults | overrides))


@asynccontextmanager
async def _migrated_and_running(
    settings_cls: type[ServiceSettings],
    create_app: Callable[[Any], FastAPI],
    url: str,
    platform: PlatformSettings,
) -> AsyncIterator[RunningService]:
    await migrate(f"carbon_{settings_cls.service_name}:migrations", url)
    settings = settings_cls(database_url=url, platform=platform)
    app = create_app(settings)
    async with running(app) as client:
        yield RunningService(client, app, settings)
