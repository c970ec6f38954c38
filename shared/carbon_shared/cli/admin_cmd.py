"""`carbonctl token`, `outbox` and `migrate`: small operator tasks."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from carbon_shared.auth import mint_token
from carbon_shared.db import make_engine, make_session_factory
from carbon_shared.outbox import backlog
from carbon_shared.settings import PlatformSettings

SERVICES = ("registry", "reporting", "allowance", "credit", "notify")


def token(args: argparse.Namespace, settings: PlatformSettings, *, out=print) -> int:
    claims = {
        k: v
        for k, v in {
            "enterprise_id": args.enterprise_id,
            "agency_id": args.agency_id,
            "department": args.department,
        }.items()
        if v
    }
    out(
        mint_token(
            secret=settings.jwt_secret,
            role=args.role,
            sub=args.sub,
            ttl=dt.timedelta(hours=args.hours),
            **claims,
        )
    )
    return 0


def database_url(service: str, settings: PlatformSettings) -> str:
    explicit = os.environ.get(f"CARBON_{service.upper()}_DATABASE_URL")
    return explicit or f"sqlite+aiosqlite:///{settings.data_dir.resolve() / service}.db"


async def outbox(args: argparse.Namespace, settings: PlatformSettings, *, out=print) -> int:
    """Unpublished outbox rows per service and the age of the oldest one."""
    for service in args.service or SERVICES:
        engine = make_engine(database_url(service, settings))
        try:
            async with make_session_factory(engine)() as session:
                rows, oldest = await backlog(session)
            age = f"{(dt.datetime.now(dt.UTC) - oldest).total_seconds():.1f}s" if oldest else "-"
            out(f"{service:<10} backlog={rows:<8} oldest_age={age}")
        except SQLAlchemyError as exc:
            out(f"{service:<10} unreachable: {type(exc).__name__}")
        finally:
            await engine.dispose()
    return 0


def migrate(args: argparse.Namespace, settings: PlatformSettings, *, out=print) -> int:
    from carbon_shared.db.migrations import upgrade_to_head

    chosen = SERVICES if args.service == "all" else (args.service,)
    for number, service in enumerate(chosen, 1):
        out(f"[{number}/{len(chosen)}] migrating {service}")
        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
        upgrade_to_head(f"carbon_{service}:migrations", database_url(service, settings))
    return 0


def run_async(coro) -> int:
    return asyncio.run(coro)
