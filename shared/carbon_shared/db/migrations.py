"""Alembic glue shared by every service: one migration tree per service, run by command or on start.

Each service's `migrations/env.py` calls `run_alembic_env(metadata, SettingsClass)`; the target is
[the service's metadata, the platform tables]. `upgrade_to_head` runs them programmatically (make run,
tests); in production run `alembic -c services/<svc>/alembic.ini upgrade head` (see deploy/README.md).
"""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from carbon_shared.db.engine import make_engine
from carbon_shared.db.tables import platform_metadata
from carbon_shared.settings import ServiceSettings


def run_alembic_env(metadata: MetaData, settings_cls: type[ServiceSettings]) -> None:
    config = context.config
    url = config.get_main_option("sqlalchemy.url") or settings_cls().resolved_database_url()
    targets = [metadata, platform_metadata]
    options: dict[str, Any] = {
        "target_metadata": targets,
        "render_as_batch": url.startswith("sqlite"),
        "compare_type": True,
    }
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(url, options))


async def _run_online(url: str, options: dict[str, Any]) -> None:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_migrate, options)
            await connection.commit()
    finally:
        await engine.dispose()


def _migrate(connection: Connection, options: dict[str, Any]) -> None:
    context.configure(connection=connection, **options)
    with context.begin_transaction():
        context.run_migrations()


def alembic_config(script_location: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", script_location)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(script_location: str, url: str) -> None:
    """Blocking: call from a thread when an event loop is running (Alembic's env runs its own)."""
    command.upgrade(alembic_config(script_location, url), "head")
