"""Registry events kept as read models: updates, closure, delisting and agency bans (embedded bus)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from carbon_reporting.db.tables import agencies, enterprises
from carbon_shared.db import processed_events
from carbon_shared.events import (
    AgencyViolationRecorded,
    EmitterDelisted,
    EnterpriseClosed,
    EnterpriseUpdated,
)
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.events import publish_events, wait_until

OPS = bearer("ops")


async def _row(harness: Any, table: Any, column: Any, key: str) -> Any:
    async with harness.service.app.state.runtime.session_factory() as session:
        return (await session.execute(select(table).where(column == key))).first()


async def _publish_and_wait(harness: Any, event: Any, check: Any) -> None:
    await publish_events(harness.service.platform, [event])

    async def done() -> bool:
        return bool(await check())

    await wait_until(done)


class TestEnterpriseReadModel:
    async def test_update_renames_and_closure_stops_the_ledgers_owed(self, reporting: Any) -> None:
        await reporting.register("E1")
        updated = EnterpriseUpdated(
            enterprise_id="E1",
            uscc="91640500MA76XXXX0X",
            name="中卫新名称能源有限公司",
            sector="power",
            county_code="640521",
            status="active",
            changed_fields=["name", "county_code"],
        )

        async def renamed() -> bool:
            row = await _row(reporting, enterprises, enterprises.c.enterprise_id, "E1")
            return row.name == "中卫新名称能源有限公司"

        await _publish_and_wait(reporting, updated, renamed)
        await reporting.list_emitter("E1", 2024)
        closed = EnterpriseClosed(enterprise_id="E1", closed_on=dt.date(2024, 3, 15), reason="停业")

        async def is_closed() -> bool:
            row = await _row(reporting, enterprises, enterprises.c.enterprise_id, "E1")
            return row.status == "closed"

        await _publish_and_wait(reporting, closed, is_closed)
        result = await reporting.post("/v1/deadlines/check", OPS, {"as_of": "2025-04-01"})
        months = sorted(item["month"] for item in result.json()["emitted"] if item["kind"] == "ledger")
        assert months == [1, 2, 3]  # nothing owed after the month it closed in


class TestDirectoryReadModel:
    async def test_delisted_year_owes_nothing(self, reporting: Any) -> None:
        await reporting.register("E1")
        await reporting.list_emitter("E1", 2024)
        delisted = EmitterDelisted(
            enterprise_id="E1", enterprise_name="中卫", county_code="640502", year=2024, rule="regulator"
        )
        await publish_events(reporting.service.platform, [delisted])

        await wait_until(lambda: _processed(reporting, 3))  # registered, listed, delisted
        assert await _check_2025(reporting) == 0


async def _check_2025(harness: Any) -> int:
    result = await harness.post("/v1/deadlines/check", OPS, {"as_of": "2025-04-01"})
    return int(result.json()["overdue_count"])


class TestAgencyReadModel:
    async def test_a_shorter_later_ban_does_not_shorten_the_longer_one(self, reporting: Any) -> None:
        await reporting.agency("A1", banned_until=dt.date(2030, 1, 1))
        shorter = AgencyViolationRecorded(
            agency_id="A1",
            agency_name="核查A1",
            violation="violation",
            occurred_on=dt.date(2025, 2, 1),
            findings="x",
            banned_until=dt.date(2026, 1, 1),
        )
        await publish_events(reporting.service.platform, [shorter])
        await wait_until(lambda: _processed(reporting, 3))
        row = await _row(reporting, agencies, agencies.c.agency_id, "A1")
        assert row.banned_until == dt.date(2030, 1, 1)


async def _processed(harness: Any, count: int) -> bool:
    async with harness.service.app.state.runtime.session_factory() as session:
        rows = (await session.execute(select(processed_events))).all()
    return len(rows) >= count
