"""Done-when 1 and 2 over the real PostgreSQL and the real Kafka: events in, ratings and events out."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from carbon_credit.main import create_app
from carbon_credit.settings import CreditSettings
from carbon_credit.testing import envelope, feed, registered
from carbon_shared.db import outbox
from carbon_shared.events import FalsificationSuspected, SurrenderOverdue
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.events import wait_until
from carbon_shared.testing.services import RunningService, kafka_service

pytestmark = pytest.mark.integration
REGULATOR = bearer("regulator")


@pytest.fixture
async def credit_kafka(
    pg_admin_url: str, kafka_bootstrap: str, topic_prefix: str
) -> AsyncIterator[RunningService]:
    async with kafka_service(
        settings_cls=CreditSettings,
        create_app=create_app,
        pg_admin_url=pg_admin_url,
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=topic_prefix,
    ) as service:
        yield service


def surrender_overdue(enterprise_id: str) -> SurrenderOverdue:
    return SurrenderOverdue(
        enterprise_id=enterprise_id, year=2024, obligation_tco2e="52000.5", shortfall=3000,
        due_date=dt.date(2025, 12, 31), average_price_cny="85.20", fine_min_cny="1278000",
        fine_max_cny="2556000", deduction_year=2026,
    )  # fmt: skip


async def rating(service: RunningService, enterprise_id: str) -> dict:
    response = await service.client.get(f"/v1/credit/enterprises/{enterprise_id}", headers=REGULATOR)
    assert response.status_code == 200
    return response.json()


async def announced(service: RunningService) -> list[dict]:
    """The `CreditRatingChanged` events the service wrote to its outbox (published by the relay)."""
    async with service.app.state.runtime.session_factory() as session:
        query = (
            select(outbox.c.body).where(outbox.c.event_type == "CreditRatingChanged").order_by(outbox.c.id)
        )
        return [json.loads(body)["payload"] for body in (await session.execute(query)).scalars()]


class TestEveryRegisteredEnterpriseIsRated:
    async def test_registration_gives_a_green_rating_per_contract(self, credit_kafka: RunningService) -> None:
        await feed(credit_kafka, [envelope(registered(f"E{n}")) for n in range(3)])
        for n in range(3):
            body = await rating(credit_kafka, f"E{n}")
            assert {k: body[k] for k in ("subject_id", "level", "points", "history")} == {
                "subject_id": f"E{n}", "level": "green", "points": 0, "history": [],
            }  # fmt: skip


class TestSurrenderOverdue:
    async def test_lowers_the_level_names_the_event_and_a_duplicate_changes_nothing(
        self, credit_kafka: RunningService
    ) -> None:
        overdue = envelope(surrender_overdue("E1"))
        await feed(credit_kafka, [envelope(registered("E1"))])  # topics differ: no order across them
        await feed(credit_kafka, [overdue])
        after = await rating(credit_kafka, "E1")
        assert after["level"] == "yellow" and after["points"] == 20
        [line] = after["history"]
        assert (line["cause"], line["cause_event_id"]) == ("SurrenderOverdue", str(overdue.event_id))
        assert (line["level_before"], line["level_after"]) == ("green", "yellow")

        await feed(credit_kafka, [overdue])  # the same envelope delivered again
        assert await rating(credit_kafka, "E1") == after

        async def one_announcement() -> bool:
            return len(await announced(credit_kafka)) == 1

        await wait_until(one_announcement, within=10)
        [event] = await announced(credit_kafka)
        assert (event["subject_id"], event["cause_event_id"], event["level_after"]) == (
            "E1", str(overdue.event_id), "yellow",
        )  # fmt: skip
        assert (
            event["rule_version"] == after["rule_version"]
            and event["subject_name"] == "中卫市宏达发电有限公司"
        )


class TestFalsificationSuspected:
    async def test_goes_straight_to_red(self, credit_kafka: RunningService) -> None:
        flagged = envelope(
            FalsificationSuspected(
                report_id="R1", enterprise_id="E1", year=2024, reason="煤样篡改", flagged_by="eco"
            )
        )
        await feed(credit_kafka, [envelope(registered("E1")), flagged])
        body = await rating(credit_kafka, "E1")
        assert body["level"] == "red"
        assert body["history"][0]["level_before"] == "green" and body["history"][0]["level_after"] == "red"
        assert body["history"][0]["cause_event_id"] == str(flagged.event_id)


class TestRecomputeOnPostgres:
    async def test_replay_of_stored_facts_reports_no_difference(self, credit_kafka: RunningService) -> None:
        now = dt.datetime.now(dt.UTC)
        facts = [
            envelope(surrender_overdue(f"E{n % 3}"), at=now - dt.timedelta(days=n * 50)) for n in range(9)
        ]
        await feed(credit_kafka, [envelope(registered(f"E{n}")) for n in range(3)])
        await feed(credit_kafka, [*facts, facts[0]])  # late arrivals (older facts last) and a duplicate
        response = await credit_kafka.client.post(
            "/v1/credit/recompute", json={"apply": True}, headers=REGULATOR
        )
        report = response.json()
        assert (report["subjects"], report["facts"], report["differs"]) == (3, 9, False)
