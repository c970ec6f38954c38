"""Inbox API over the embedded shape (SQLite + embedded bus): who sees what, paging, mark read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from carbon_shared.events import Contact, EnterpriseRegistered, SurrenderOverdue
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.events import publish_events, wait_until

NAME = "中卫市沙坡头热电有限公司"


def registered(enterprise_id: str = "ent-1") -> EnterpriseRegistered:
    return EnterpriseRegistered(
        enterprise_id=enterprise_id,
        uscc="91640500MA76XXXXX1",
        name=NAME,
        sector="power",
        county_code="640521",
        status="active",
        contacts=[Contact(name="王工", email="wang@example.cn", phone="13800000000")],
    )


def overdue(year: int, enterprise_id: str = "ent-1") -> SurrenderOverdue:
    return SurrenderOverdue(
        enterprise_id=enterprise_id,
        year=year,
        obligation_tco2e=Decimal("30000.5"),
        shortfall=1200,
        due_date=dt.date(year + 1, 12, 31),
        average_price_cny=Decimal("70.12"),
        fine_min_cny=Decimal("420720"),
        fine_max_cny=Decimal("841440"),
        deduction_year=year + 2,
    )


async def _inbox(client: Any, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = await client.get("/v1/inbox", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


ENTERPRISE = bearer("enterprise", enterprise_id="ent-1")
ECO = bearer("department", department="eco")


class TestListInbox:
    async def test_each_recipient_sees_only_its_own_notifications(self, start_embedded: Any) -> None:
        async with start_embedded() as svc:
            await publish_events(svc.platform, [registered(), overdue(2023), overdue(2024)])

            async def routed() -> bool:
                return len((await _inbox(svc.client, ECO))["items"]) == 2

            await wait_until(routed, within=15)
            mine = await _inbox(svc.client, ENTERPRISE)
            county = await _inbox(svc.client, bearer("department", department="640521"))
            samr = await _inbox(svc.client, bearer("department", department="samr"))
            other = await _inbox(svc.client, bearer("enterprise", enterprise_id="ent-2"))
        assert [item["event_type"] for item in mine["items"]] == ["SurrenderOverdue"] * 2
        assert NAME in mine["items"][0]["title"] and "2024" in mine["items"][0]["body"]
        assert mine["unread"] == 2 and mine["items"][0]["read"] is False
        assert len(county["items"]) == 2
        assert samr["items"] == [] and other["items"] == []

    async def test_pages_newest_first_with_a_cursor(self, start_embedded: Any) -> None:
        async with start_embedded() as svc:
            await publish_events(svc.platform, [registered(), overdue(2022), overdue(2023), overdue(2024)])

            async def routed() -> bool:
                return len((await _inbox(svc.client, ENTERPRISE))["items"]) == 3

            await wait_until(routed, within=15)
            first = await _inbox(svc.client, ENTERPRISE, limit=2)
            second = await _inbox(svc.client, ENTERPRISE, limit=2, cursor=first["next_cursor"])
            too_big = await svc.client.get("/v1/inbox", headers=ENTERPRISE, params={"limit": 501})
        ids = [item["id"] for item in first["items"] + second["items"]]
        assert ids == sorted(ids, reverse=True) and len(set(ids)) == 3
        assert second["next_cursor"] is None
        assert too_big.status_code == 422 and too_big.headers["content-type"] == "application/problem+json"

    async def test_refuses_callers_without_an_inbox(self, start_embedded: Any) -> None:
        async with start_embedded() as svc:
            anonymous = await svc.client.get("/v1/inbox")
            ops = await svc.client.get("/v1/inbox", headers=bearer("ops"))
        assert anonymous.status_code == 401
        assert ops.status_code == 403 and ops.json()["status"] == 403


class TestMarkRead:
    async def test_marks_own_item_read_and_hides_others_items(self, start_embedded: Any) -> None:
        async with start_embedded() as svc:
            await publish_events(svc.platform, [registered(), overdue(2023)])

            async def routed() -> bool:
                return len((await _inbox(svc.client, ENTERPRISE))["items"]) == 1

            await wait_until(routed, within=15)
            item_id = (await _inbox(svc.client, ENTERPRISE))["items"][0]["id"]
            other = await svc.client.post(
                f"/v1/inbox/{item_id}/read", headers=bearer("enterprise", enterprise_id="ent-2")
            )
            read = await svc.client.post(f"/v1/inbox/{item_id}/read", headers=ENTERPRISE)
            again = await svc.client.post(f"/v1/inbox/{item_id}/read", headers=ENTERPRISE)
            unread = await _inbox(svc.client, ENTERPRISE, unread=True)
        assert other.status_code == 404
        assert read.status_code == 200 and read.json()["read"] is True
        assert again.json()["read_at"] == read.json()["read_at"]
        assert unread["items"] == [] and unread["unread"] == 0


class TestEventBeforeItsEnterprise:
    async def test_is_routed_with_the_name_once_the_enterprise_arrives(self, start_embedded: Any) -> None:
        async with start_embedded() as svc:
            await publish_events(svc.platform, [overdue(2023, "ent-late")])
            await publish_events(svc.platform, [registered("ent-late")])
            late = bearer("enterprise", enterprise_id="ent-late")

            async def routed() -> bool:
                return len((await _inbox(svc.client, late))["items"]) == 1

            await wait_until(routed, within=15)
            item = (await _inbox(svc.client, late))["items"][0]
        assert NAME in item["title"]
