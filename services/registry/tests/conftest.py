"""Fixtures of the registry tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from carbon_registry.main import create_app
from carbon_registry.settings import RegistrySettings
from carbon_shared.testing.services import RunningService, embedded_service, kafka_service


@pytest.fixture
async def registry(tmp_path: Path) -> AsyncIterator[RunningService]:
    """The `make run` shape: SQLite + embedded bus (fast API tests)."""
    async with embedded_service(
        settings_cls=RegistrySettings, create_app=create_app, data_dir=tmp_path
    ) as svc:
        yield svc


@pytest.fixture
async def registry_on_kafka(
    pg_admin_url: str, kafka_bootstrap: str, topic_prefix: str
) -> AsyncIterator[RunningService]:
    """The production shape: its own PostgreSQL database, migrated by Alembic, and the real Kafka broker."""
    async with kafka_service(
        settings_cls=RegistrySettings,
        create_app=create_app,
        pg_admin_url=pg_admin_url,
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topic_prefix,
    ) as svc:
        yield svc
