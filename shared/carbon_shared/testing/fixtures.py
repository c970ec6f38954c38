"""Pytest fixtures for every service: the real PostgreSQL and Kafka started by `make test`.

`make test` exports CARBON_TEST_DATABASE_URL and CARBON_TEST_KAFKA_BOOTSTRAP (see scripts/testenv).
Without them integration tests are skipped, unless CARBON_REQUIRE_INTEGRATION=1 (set by `make test`),
in which case they fail: CI must never pass by skipping.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from carbon_shared.db.engine import make_engine


def _require(var: str) -> str:
    value = os.environ.get(var)
    if value:
        return value
    if os.environ.get("CARBON_REQUIRE_INTEGRATION") == "1":
        pytest.fail(f"{var} is not set; run the tests with `make test`")
    pytest.skip(f"{var} not set: integration tests need `make test`")


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    return _require("CARBON_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    return _require("CARBON_TEST_KAFKA_BOOTSTRAP")


@pytest.fixture
def topic_prefix() -> str:
    """Topics of one test never meet another test's."""
    return f"t{uuid.uuid4().hex[:10]}."


async def create_database(admin_url: str, name: str) -> str:
    engine = make_engine(admin_url, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


async def drop_database(admin_url: str, name: str) -> None:
    engine = make_engine(admin_url, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await engine.dispose()


@pytest.fixture
async def make_pg_database(pg_admin_url: str) -> AsyncIterator[Callable[[str], Awaitable[str]]]:
    """Factory: a fresh, empty PostgreSQL database per call, dropped after the test."""
    created: list[str] = []

    async def factory(label: str) -> str:
        name = f"test_{label}_{uuid.uuid4().hex[:8]}"
        created.append(name)
        return await create_database(pg_admin_url, name)

    yield factory
    for name in created:
        await drop_database(pg_admin_url, name)


async def migrate(script_location: str, url: str) -> None:
    from carbon_shared.db.migrations import upgrade_to_head

    await asyncio.to_thread(upgrade_to_head, script_location, url)


def sqlite_url(directory: Path, name: str) -> str:
    return f"sqlite+aiosqlite:///{directory / name}.db"
