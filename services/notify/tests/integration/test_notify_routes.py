"""Done when 1: over real Kafka, each required route reaches exactly the recipients named, no one else."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from carbon_notify.db.tables import event_log, notifications
from carbon_notify.main import create_app
from carbon_notify.settings import NotifySettings
from carbon_shared.events import (
    AgencyViolationRecorded,
    AllowanceAllocated,
    Contact,
    CreditRatingChanged,
    DomainEvent,
    EmitterListed,
    EnterpriseRegistered,
    FalsificationSuspected,
    LedgerOverdue,
    ReportOverdue,
    SurrenderOverdue,
)
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.events import publish_events, wait_until
from carbon_shared.testing.services import kafka_service

pytestmark = pytest.mark.integration

E = "ent-zw-1"
DAY = dt.date(2025, 1, 1)


def _credit(level_after: str) -> CreditRatingChanged:
    return CreditRatingChanged(
        subject_id=E,
        subject_kind="enterprise",
        subject_name="中卫市宁钢钢铁有限公司",
        level_before="green",
        level_after=level_after,  # type: ignore[arg-type]
        points=40,
        cause="SurrenderOverdue",
        cause_event_id=str(uuid.uuid4()),
        rule_version="2023.1",
    )


# (event, the inbox recipients the route must reach, as "kind:id")
ROUTES: list[tuple[DomainEvent, set[str]]] = [
    (
        SurrenderOverdue(
            enterprise_id=E,
            year=2023,
            obligation_tco2e=Decimal("41000"),
            shortfall=900,
            due_date=DAY,
            average_price_cny=Decimal("70"),
            fine_min_cny=Decimal("315000"),
            fine_max_cny=Decimal("630000"),
            deduction_year=2025,
        ),
        {f"enterprise:{E}", "department:eco", "department:640521"},
    ),
    (
        FalsificationSuspected(
            report_id="r1", enterprise_id=E, year=2023, reason="燃料量异常", flagged_by="eco"
        ),
        {"department:eco", "department:samr", "department:police"},
    ),
    (_credit("yellow"), {f"enterprise:{E}", "department:ndrc", "department:pboc"}),
    (_credit("red"), {f"enterprise:{E}", "department:ndrc", "department:pboc"}),
    (_credit("blue"), {f"enterprise:{E}"}),
    (
        AgencyViolationRecorded(
            agency_id="ag-1",
            agency_name="宁夏某核查机构",
            violation="inspection_failed",
            occurred_on=DAY,
            findings="x",
        ),
        {"department:eco", "department:samr"},
    ),
    (ReportOverdue(enterprise_id=E, year=2024, due_date=DAY), {f"enterprise:{E}", "department:eco"}),
    (
        LedgerOverdue(enterprise_id=E, year=2024, month=11, due_date=DAY),
        {f"enterprise:{E}", "department:eco"},
    ),
    (
        AllowanceAllocated(
            allocation_id="a1", enterprise_id=E, year=2024, kind="pre", amount=100, credited=100
        ),
        {f"enterprise:{E}"},
    ),
    (
        EmitterListed(
            enterprise_id=E,
            enterprise_name="中卫市宁钢钢铁有限公司",
            county_code="640521",
            year=2025,
            rule="threshold",
        ),
        {f"enterprise:{E}", "department:eco", "department:640521", "department:miit"},
    ),
]


def _registered() -> EnterpriseRegistered:
    return EnterpriseRegistered(
        enterprise_id=E,
        uscc="91640521MA7XXXXXX1",
        name="中卫市宁钢钢铁有限公司",
        sector="steel",
        county_code="640521",
        status="active",
        contacts=[Contact(name="李明", email="li@example.cn")],
    )


async def _count(svc: Any, query: Any) -> int:
    async with svc.app.state.runtime.session_factory() as session:
        return int(await session.scalar(query) or 0)


async def _inbox_recipients(svc: Any) -> dict[str, set[str]]:
    query = select(
        notifications.c.event_id, notifications.c.recipient_kind, notifications.c.recipient_id
    ).where(notifications.c.channel == "inbox")
    async with svc.app.state.runtime.session_factory() as session:
        rows = (await session.execute(query)).all()
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(str(row.event_id), set()).add(f"{row.recipient_kind}:{row.recipient_id}")
    return found


class TestRouting:
    async def test_each_route_reaches_exactly_the_named_recipients(
        self, pg_admin_url: str, kafka_bootstrap: str, topic_prefix: str
    ) -> None:
        async with kafka_service(
            settings_cls=NotifySettings,
            create_app=create_app,
            pg_admin_url=pg_admin_url,
            kafka_bootstrap=kafka_bootstrap,
            topic_prefix=topic_prefix,
        ) as svc:
            await publish_events(svc.platform, [_registered()])
            logged = select(func.count()).select_from(event_log)

            async def registered_seen() -> bool:
                return await _count(svc, logged) == 1

            await wait_until(registered_seen, within=30)
            envelopes = await publish_events(svc.platform, [event for event, _ in ROUTES])

            async def all_logged() -> bool:
                return await _count(svc, logged) == 1 + len(ROUTES)

            await wait_until(all_logged, within=30)
            found = await _inbox_recipients(svc)
            samr = (await svc.client.get("/v1/inbox", headers=bearer("department", department="samr"))).json()
        for envelope, (event, expected) in zip(envelopes, ROUTES, strict=True):
            assert found.get(str(envelope.event_id), set()) == expected, (event.event_type, event)
        assert {item["event_type"] for item in samr["items"]} == {
            "FalsificationSuspected",
            "AgencyViolationRecorded",
        }
        assert len(found) == len(ROUTES)  # the registration itself notifies nobody
