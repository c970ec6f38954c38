"""Fixtures of the allowance tests: the service on SQLite + embedded bus (fast) and a driver for it.

`Harness` feeds the service the events other services would publish (registry, reporting) and calls
its API with development tokens; the same class drives the Kafka + PostgreSQL shape in integration tests.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from carbon_allowance.main import create_app
from carbon_allowance.settings import AllowanceSettings
from carbon_shared.bus import make_bus
from carbon_shared.db import outbox
from carbon_shared.events import EnterpriseRegistered, ReportVerified, topic_for
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.events import publish_events, wait_until
from carbon_shared.testing.services import RunningService, embedded_service, kafka_service

REGULATOR = bearer("regulator")
REGION = bearer("region")
OPS = bearer("ops")


def enterprise_token(enterprise_id: str) -> dict[str, str]:
    return bearer("enterprise", enterprise_id=enterprise_id)


@dataclass
class Harness:
    service: RunningService

    @property
    def client(self) -> httpx.AsyncClient:
        return self.service.client

    async def register(self, enterprise_id: str, *, sector: str = "power", county: str = "640502") -> None:
        event = EnterpriseRegistered(
            enterprise_id=enterprise_id,
            uscc="91640500MA76XXXX0X",
            name=f"中卫{enterprise_id}发电有限公司",
            sector=sector,
            county_code=county,
            status="active",
        )
        await publish_events(self.service.platform, [event])
        await wait_until(lambda: self._account_exists(enterprise_id))

    async def verify(
        self, enterprise_id: str, year: int, emissions: str, *, revision: int = 1, wait: bool = True
    ) -> None:
        """Publish a ReportVerified and (unless told not to) wait until the obligation shows that revision."""
        event = ReportVerified(
            report_id=f"rep-{enterprise_id}-{year}",
            enterprise_id=enterprise_id,
            year=year,
            revision=revision,
            verified_emissions_tco2e=Decimal(emissions),
            agency_id="agency-1",
            verified_by="verifier-1",
            verified_on=dt.date(year + 1, 6, 1),
        )
        await publish_events(self.service.platform, [event])
        if wait:
            await wait_until(lambda: self._has_revision(enterprise_id, year, revision))

    async def account(self, enterprise_id: str) -> dict[str, Any]:
        response = await self.client.get(f"/v1/accounts/{enterprise_id}", headers=REGULATOR)
        assert response.status_code == 200, response.text
        return response.json()

    async def obligation(self, enterprise_id: str, year: int) -> dict[str, Any]:
        found = [o for o in (await self.account(enterprise_id))["obligations"] if o["year"] == year]
        assert found, f"no {year} obligation for {enterprise_id}"
        return found[0]

    async def allocate(self, enterprise_id: str, year: int, amount: int, kind: str = "pre") -> httpx.Response:
        body = {"enterprise_id": enterprise_id, "year": year, "amount": amount, "kind": kind}
        return await self.client.post("/v1/allocations", json=body, headers=REGION)

    async def surrender(
        self, enterprise_id: str, year: int, allowances: int, ccer: int = 0
    ) -> httpx.Response:
        body = {"enterprise_id": enterprise_id, "year": year, "allowances": allowances, "ccer": ccer}
        return await self.client.post("/v1/surrenders", json=body, headers=enterprise_token(enterprise_id))

    async def deposit_ccer(
        self, enterprise_id: str, amount: int, project: str = "CCER-NX-001"
    ) -> httpx.Response:
        body = {"enterprise_id": enterprise_id, "amount": amount, "project_ref": project}
        return await self.client.post("/v1/ccer-deposits", json=body, headers=REGULATOR)

    async def deadline_check(self, year: int, as_of: str) -> httpx.Response:
        return await self.client.post(
            f"/v1/compliance/{year}/deadline-check", json={"as_of": as_of}, headers=OPS
        )

    async def events(self, event_type: str) -> list[dict[str, Any]]:
        """Payloads of the events this service wrote to its outbox, oldest first."""
        runtime = self.service.app.state.runtime
        async with runtime.session_factory() as session:
            rows = await session.execute(
                select(outbox.c.body).where(outbox.c.event_type == event_type).order_by(outbox.c.id)
            )
            return [json.loads(body)["payload"] for body in rows.scalars()]

    async def published(
        self, event_type: str, *, expected: int, within: float = 20.0
    ) -> list[dict[str, Any]]:
        """Payloads of `event_type` read back from this service's topic on the bus (after the relay)."""
        platform = self.service.platform
        bus = make_bus(platform, client_id="test-reader")
        await bus.start()
        subscription = bus.subscribe(
            group=f"reader-{uuid.uuid4().hex[:6]}", topics=[topic_for("allowance", platform.topic_prefix)]
        )
        await subscription.start()
        found: list[dict[str, Any]] = []
        try:
            deadline = asyncio.get_running_loop().time() + within
            while len(found) < expected and asyncio.get_running_loop().time() < deadline:
                for message in await subscription.fetch(max_records=500, timeout_s=0.5):
                    envelope = json.loads(message.value)
                    if envelope["type"] == event_type:
                        found.append(envelope["payload"])
            await asyncio.sleep(0.5)  # and nothing more arrives
            for message in await subscription.fetch(max_records=500, timeout_s=0.5):
                envelope = json.loads(message.value)
                if envelope["type"] == event_type:
                    found.append(envelope["payload"])
        finally:
            await subscription.stop()
            await bus.stop()
        return found

    async def _account_exists(self, enterprise_id: str) -> bool:
        response = await self.client.get(f"/v1/accounts/{enterprise_id}", headers=REGULATOR)
        return response.status_code == 200 and response.json()["name"] is not None

    async def _has_revision(self, enterprise_id: str, year: int, revision: int) -> bool:
        response = await self.client.get(f"/v1/accounts/{enterprise_id}", headers=REGULATOR)
        if response.status_code != 200:
            return False
        return any(o["year"] == year and o["revision"] == revision for o in response.json()["obligations"])


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with embedded_service(
        settings_cls=AllowanceSettings, create_app=create_app, data_dir=tmp_path
    ) as svc:
        yield Harness(svc)


@pytest.fixture
def enterprise_id() -> str:
    return f"ent-{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def kafka_harness(pg_admin_url: str, kafka_bootstrap: str, topic_prefix: str) -> AsyncIterator[Harness]:
    """The production shape: its own PostgreSQL database, migrated by Alembic, and the real Kafka."""
    async with kafka_service(
        settings_cls=AllowanceSettings,
        create_app=create_app,
        pg_admin_url=pg_admin_url,
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topic_prefix,
    ) as service:
        yield Harness(service)
