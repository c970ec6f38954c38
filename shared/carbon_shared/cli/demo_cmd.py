"""`carbonctl seed-demo`: seed the demo city into running services (what `make run` does on first start)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from carbon_shared.cli.demo_city import PORTS, CityApi, seed_demo_city
from carbon_shared.settings import PlatformSettings


def seed(args: argparse.Namespace, settings: PlatformSettings) -> int:
    urls = {service: f"{args.base_host}:{port}" for service, port in PORTS.items()}
    api = CityApi(urls=urls, secret=settings.jwt_secret)

    async def run() -> dict:
        try:
            return await seed_demo_city(api, count=args.count, progress=lambda m: print(m, file=sys.stderr))
        finally:
            await api.close()

    summary = asyncio.run(run())
    print(f"demo city seeded: {summary}")
    return 0
