"""Department SMS numbers reach the gateway for routes with the sms channel; a retry after a partial
failure texts only the phones that failed; a deactivated or deleted webhook gets no new deliveries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from carbon_shared.events import Contact, EnterpriseRegistered, FalsificationSuspected, ReportOverdue
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.events import publish_events, wait_until

pytestmark = pytest.mark.integration

E = "ent-sms-1"
SAMR = bearer("department", department="samr")
REGULATOR = bearer("regulator")


def _registered(phones: list[str]) -> EnterpriseRegistered:
    return EnterpriseRegistered(
        enterprise_id=E,
        uscc="91640500MA7XXXXXX7",
        name="中卫市宁钢钢铁有限公司",
        sector="steel",
        county_code="640502",
        status="active",
        contacts=[Contact(name=f"联系人{i}", phone=phone) for i, phone in enumerate(phones)],
    )


def _falsification() -> FalsificationSuspected:
    return FalsificationSuspected(
        report_id="r-1", enterprise_id=E, year=2024, reason="数据异常", flagged_by="reporting"
    )


def _knobs(receiver: Any) -> dict[str, Any]:
    return {
        "sms_gateway_url": receiver.url("/sms"),
        "retry_base_delay_seconds": Decimal("0.1"),
        "retry_max_attempts": 3,
    }


def _texted(receiver: Any) -> list[str]:
    return [r.json()["phone"] for r in receiver.received if r.path == "/sms"]


class TestDepartmentSmsNumbers:
    async def test_registered_department_phones_get_the_joint_enforcement_sms(
        self, notify_pg: str, start_notify: Any, http_receiver: Any
    ) -> None:
        async with start_notify(notify_pg, **_knobs(http_receiver)) as svc:
            for headers, phone in ((SAMR, "+86 136-0000-0001"), (REGULATOR, "13600000002")):
                response = await svc.client.post("/v1/sms-numbers", headers=headers, json={"phone": phone})
                assert response.status_code == 201, response.text
            await publish_events(svc.platform, [_registered([]), _falsification()])

            async def both_texted() -> bool:
                return len(_texted(http_receiver)) == 2

            await wait_until(both_texted, within=30)
        # samr and eco (the regulator's department) registered; police did not: no SMS for it
        assert sorted(_texted(http_receiver)) == ["13600000001", "13600000002"]


class TestSmsRetry:
    async def test_a_retry_texts_only_the_phone_that_failed(
        self, notify_pg: str, start_notify: Any, http_receiver: Any
    ) -> None:
        http_receiver.fail_phones_once = {"13700000002"}
        async with start_notify(notify_pg, **_knobs(http_receiver)) as svc:
            overdue = ReportOverdue(enterprise_id=E, year=2024, due_date=dt.date(2025, 3, 31))
            await publish_events(svc.platform, [_registered(["13700000001", "13700000002"]), overdue])

            async def second_phone_got_it() -> bool:
                return _texted(http_receiver).count("13700000002") == 2

            await wait_until(second_phone_got_it, within=30)
        assert _texted(http_receiver).count("13700000001") == 1


class TestWebhookLifecycle:
    async def test_deactivated_and_deleted_webhooks_get_no_new_deliveries(
        self, notify_pg: str, start_notify: Any, http_receiver: Any
    ) -> None:
        async with start_notify(notify_pg) as svc:
            hooks = []
            for path in ("/kept", "/paused", "/deleted"):
                body = {"url": http_receiver.url(path), "secret": http_receiver.secret, "event_types": []}
                response = await svc.client.post("/v1/webhooks", headers=SAMR, json=body)
                assert response.status_code == 201, response.text
                hooks.append(response.json()["id"])
            paused = await svc.client.post(f"/v1/webhooks/{hooks[1]}/deactivate", headers=SAMR)
            deleted = await svc.client.delete(f"/v1/webhooks/{hooks[2]}", headers=SAMR)
            assert (paused.status_code, paused.json()["active"], deleted.status_code) == (200, False, 204)
            await publish_events(svc.platform, [_registered([]), _falsification()])

            async def kept_got_it() -> bool:
                return any(r.path == "/kept" for r in http_receiver.received)

            await wait_until(kept_got_it, within=30)
            log = await svc.client.get("/v1/webhooks/deliveries", headers=SAMR)
        assert {item["subscription_id"] for item in log.json()["items"]} == {hooks[0]}
        assert {r.path for r in http_receiver.received} == {"/kept"}
