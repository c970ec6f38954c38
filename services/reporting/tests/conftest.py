"""Fixtures of the reporting tests: the service on SQLite + embedded bus (fast) and a driver for it.

`Harness` feeds the service the registry events it keeps read models of, calls its API with development
tokens, and reads the events it stated from its outbox; the integration tests drive the PostgreSQL +
Kafka shape with the same class.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from carbon_reporting.db.tables import agencies, emitter_listings, enterprises
from carbon_reporting.main import create_app
from carbon_reporting.settings import ReportingSettings
from carbon_shared.db import outbox
from carbon_shared.events import (
    AgencyRegistered,
    AgencyViolationRecorded,
    EmitterListed,
    EnterpriseRegistered,
)
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.events import publish_events, wait_until
from carbon_shared.testing.services import RunningService, embedded_service, kafka_service

REGULATOR = bearer("regulator")
REGION = bearer("region")
OPS = bearer("ops")
# The example: 100,000 t coal, measured 0.55 tC/t, oxidation 0.99 -> 199,650 tCO2e.
COAL = {
    "fuel": "bituminous_coal",
    "amount": 100000,
    "unit": "t",
    "carbon_tc_per_unit": 0.55,
    "oxidation": 0.99,
}


def enterprise_token(enterprise_id: str) -> dict[str, str]:
    return bearer("enterprise", enterprise_id=enterprise_id)


def verifier_token(agency_id: str) -> dict[str, str]:
    return bearer("verifier", agency_id=agency_id)


@dataclass
class Harness:
    service: RunningService

    @property
    def client(self) -> httpx.AsyncClient:
        return self.service.client

    async def _exists(self, table: Any, column: Any, value: str) -> bool:
        runtime = self.service.app.state.runtime
        async with runtime.session_factory() as session:
            return (await session.execute(select(table).where(column == value))).first() is not None

    async def register(self, enterprise_id: str, *, name: str | None = None) -> None:
        event = EnterpriseRegistered(
            enterprise_id=enterprise_id,
            uscc="91640500MA76XXXX0X",
            name=name or f"中卫{enterprise_id}发电有限公司",
            sector="power",
            county_code="640502",
            status="active",
        )
        await publish_events(self.service.platform, [event])
        await wait_until(lambda: self._exists(enterprises, enterprises.c.enterprise_id, enterprise_id))

    async def agency(
        self, agency_id: str, *, kind: str = "verification", banned_until: dt.date | None = None
    ) -> None:
        events: list[Any] = [
            AgencyRegistered(
                agency_id=agency_id, uscc="91640500MA76YYYY0Y", name=f"核查{agency_id}", kind=kind
            )
        ]  # type: ignore[arg-type]
        if banned_until is not None:
            events.append(
                AgencyViolationRecorded(
                    agency_id=agency_id,
                    agency_name=f"核查{agency_id}",
                    violation="inspection_failed",
                    occurred_on=dt.date(2025, 1, 1),
                    findings="数据造假",
                    banned_until=banned_until,
                )
            )
        await publish_events(self.service.platform, events)
        await wait_until(lambda: self._banned_as(agency_id, banned_until))

    async def _banned_as(self, agency_id: str, banned_until: dt.date | None) -> bool:
        runtime = self.service.app.state.runtime
        async with runtime.session_factory() as session:
            row = (await session.execute(select(agencies).where(agencies.c.agency_id == agency_id))).first()
        return row is not None and row.banned_until == banned_until

    async def list_emitter(self, enterprise_id: str, year: int) -> None:
        event = EmitterListed(
            enterprise_id=enterprise_id,
            enterprise_name="中卫",
            county_code="640502",
            year=year,
            rule="threshold",
        )
        await publish_events(self.service.platform, [event])
        await wait_until(
            lambda: self._exists(emitter_listings, emitter_listings.c.enterprise_id, enterprise_id)
        )

    async def create(
        self, enterprise_id: str, year: int = 2024, *, fuels: list[dict[str, Any]] | None = None, **extra: Any
    ) -> httpx.Response:
        body = {
            "enterprise_id": enterprise_id,
            "year": year,
            "fuels": fuels if fuels is not None else [COAL],
            **extra,
        }
        return await self.client.post("/v1/reports", json=body, headers=enterprise_token(enterprise_id))

    async def draft(self, enterprise_id: str, year: int = 2024, **extra: Any) -> dict[str, Any]:
        response = await self.create(enterprise_id, year, **extra)
        assert response.status_code == 201, response.text
        return response.json()

    async def post(
        self, path: str, headers: dict[str, str], body: dict[str, Any] | None = None
    ) -> httpx.Response:
        return await self.client.post(path, json=body or {}, headers=headers)

    async def in_verification(self, enterprise_id: str, agency_id: str, year: int = 2024) -> dict[str, Any]:
        """A report submitted by `enterprise_id` and assigned to `agency_id` (both already known)."""
        report = await self.draft(enterprise_id, year)
        submitted = await self.post(f"/v1/reports/{report['id']}/submit", enterprise_token(enterprise_id))
        assert submitted.status_code == 200, submitted.text
        assigned = await self.post(
            f"/v1/reports/{report['id']}/assignment", REGULATOR, {"agency_id": agency_id}
        )
        assert assigned.status_code == 200, assigned.text
        return assigned.json()

    async def accept(self, report_id: str, agency_id: str, emissions: float) -> httpx.Response:
        body = {"verified_emissions_tco2e": emissions, "conclusion": "accepted", "opinion": "符合要求"}
        return await self.post(f"/v1/reports/{report_id}/verification", verifier_token(agency_id), body)

    async def emitted(self, event_type: str) -> list[dict[str, Any]]:
        """Payloads of the events of `event_type` the service wrote to its outbox, in order."""
        runtime = self.service.app.state.runtime
        async with runtime.session_factory() as session:
            rows = await session.execute(
                select(outbox.c.body).where(outbox.c.event_type == event_type).order_by(outbox.c.id)
            )
            return [json.loads(body)["payload"] for (body,) in rows]


@pytest.fixture
async def reporting(tmp_path: Path) -> AsyncIterator[Harness]:
    async with embedded_service(
        settings_cls=ReportingSettings, create_app=create_app, data_dir=tmp_path
    ) as service:
        yield Harness(service)


@pytest.fixture
async def reporting_on_kafka(
    pg_admin_url: str, kafka_bootstrap: str, topic_prefix: str
) -> AsyncIterator[Harness]:
    """The production shape: its own PostgreSQL database, migrated by Alembic, and the real Kafka."""
    async with kafka_service(
        settings_cls=ReportingSettings,
        create_app=create_app,
        pg_admin_url=pg_admin_url,
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topic_prefix,
    ) as service:
        yield Harness(service)
