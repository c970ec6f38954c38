"""Done when 2: email reaches a real SMTP server with the Chinese name; webhooks are signed, retried with
backoff, marked dead after the last try and redelivered by hand; SMS goes through the HTTP gateway."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from carbon_shared.events import Contact, EnterpriseRegistered, ReportOverdue
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.events import publish_events, wait_until

pytestmark = pytest.mark.integration

E = "ent-mail-1"
NAME = "中卫市美利纸业集团有限公司"
ECO = bearer("department", department="eco")
REGION = bearer("region")
MAX_ATTEMPTS = 3


def _registered() -> EnterpriseRegistered:
    return EnterpriseRegistered(
        enterprise_id=E,
        uscc="91640500MA7XXXXXX2",
        name=NAME,
        sector="paper",
        county_code="640502",
        status="active",
        contacts=[Contact(name="张华", email="zhang@example.cn", phone="+86 139 0000 0000")],
    )


def _overdue(year: int) -> ReportOverdue:
    return ReportOverdue(enterprise_id=E, year=year, due_date=dt.date(year + 1, 3, 31))


def _knobs(smtp_port: int, receiver: Any) -> dict[str, Any]:
    return {
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp_port,
        "sms_gateway_url": receiver.url("/sms"),
        "retry_base_delay_seconds": Decimal("0.1"),
        "retry_max_attempts": MAX_ATTEMPTS,
    }


async def _register(
    svc: Any, headers: dict[str, str], url: str, secret: str, types: list[str]
) -> dict[str, Any]:
    body = {"url": url, "secret": secret, "event_types": types}
    response = await svc.client.post("/v1/webhooks", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def _deliveries(svc: Any, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    response = await svc.client.get("/v1/webhooks/deliveries", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


class TestEmailDelivery:
    async def test_email_arrives_with_the_chinese_enterprise_name(
        self, notify_pg: str, start_notify: Any, smtp_sink: Any, http_receiver: Any
    ) -> None:
        async with start_notify(notify_pg, **_knobs(smtp_sink.port, http_receiver)) as svc:
            await publish_events(svc.platform, [_registered(), _overdue(2024)])

            async def mailed() -> bool:
                return len(smtp_sink.messages) == 1

            await wait_until(mailed, within=30)
        message = smtp_sink.messages[0]
        assert NAME in str(message["Subject"])
        assert message["To"] == "zhang@example.cn"
        assert NAME in message.get_content() and "2024" in message.get_content()


class TestSmsDelivery:
    async def test_sms_gateway_gets_the_normalised_phone_and_signed_chinese_text(
        self, notify_pg: str, start_notify: Any, smtp_sink: Any, http_receiver: Any
    ) -> None:
        async with start_notify(notify_pg, **_knobs(smtp_sink.port, http_receiver)) as svc:
            await publish_events(svc.platform, [_registered(), _overdue(2024)])

            async def texted() -> bool:
                return any(r.path == "/sms" for r in http_receiver.received)

            await wait_until(texted, within=30)
        sms = next(r for r in http_receiver.received if r.path == "/sms").json()
        assert sms["phone"] == "13900000000"
        assert sms["text"].startswith("【") and NAME in sms["text"]


class TestWebhookDelivery:
    async def test_signed_delivery_then_retries_dead_and_manual_redelivery(
        self, notify_pg: str, start_notify: Any, smtp_sink: Any, http_receiver: Any
    ) -> None:
        secret = http_receiver.secret
        async with start_notify(notify_pg, **_knobs(smtp_sink.port, http_receiver)) as svc:
            eco_hook = await _register(svc, ECO, http_receiver.url("/eco"), secret, ["ReportOverdue"])
            region_hook = await _register(
                svc, REGION, http_receiver.url("/region"), secret, ["ReportOverdue"]
            )
            await publish_events(svc.platform, [_registered(), _overdue(2023)])

            async def both_delivered() -> bool:
                states = [d["state"] for d in await _deliveries(svc, bearer("ops"))]
                return states == ["delivered", "delivered"]

            await wait_until(both_delivered, within=30)
            hooks = [r for r in http_receiver.received if r.path in ("/eco", "/region")]
            assert sorted(r.path for r in hooks) == ["/eco", "/region"]
            assert all(r.signature_ok for r in hooks)
            eco_body = next(r for r in hooks if r.path == "/eco").json()
            assert eco_body["event"]["type"] == "ReportOverdue" and eco_body["recipient"] == "department:eco"
            assert NAME in eco_body["title"]

            http_receiver.fail = True
            await publish_events(svc.platform, [_overdue(2024)])

            async def eco_dead() -> bool:
                found = await _deliveries(svc, ECO, state="dead")
                return len(found) == 1

            await wait_until(eco_dead, within=30)
            dead = (await _deliveries(svc, ECO, state="dead"))[0]
            detail = (await svc.client.get(f"/v1/webhooks/deliveries/{dead['id']}", headers=ECO)).json()
            not_yours = await svc.client.get(f"/v1/webhooks/deliveries/{dead['id']}", headers=REGION)
            delivered = (await _deliveries(svc, ECO, state="delivered"))[0]
            refused = await svc.client.post(
                f"/v1/webhooks/deliveries/{delivered['id']}/redeliver", headers=ECO
            )

            http_receiver.fail = False
            redelivered = await svc.client.post(
                f"/v1/webhooks/deliveries/{dead['id']}/redeliver", headers=ECO
            )

            async def recovered() -> bool:
                one = await svc.client.get(f"/v1/webhooks/deliveries/{dead['id']}", headers=ECO)
                return bool(one.json()["state"] == "delivered")

            await wait_until(recovered, within=30)
        assert dead["subscription_id"] == eco_hook["id"] and region_hook["owner"] == "region:region"
        assert detail["attempts"] == MAX_ATTEMPTS
        assert [a["state_after"] for a in detail["log"]] == ["retrying"] * (MAX_ATTEMPTS - 1) + ["dead"]
        gaps = [
            dt.datetime.fromisoformat(b["at"]) - dt.datetime.fromisoformat(a["at"])
            for a, b in zip(detail["log"], detail["log"][1:], strict=False)
        ]
        assert all(gap >= dt.timedelta(seconds=0.1) for gap in gaps)  # backoff waited between tries
        assert not_yours.status_code == 404
        assert refused.status_code == 409
        assert redelivered.status_code == 200 and redelivered.json()["redeliveries"] == 1


class TestRegisterWebhook:
    async def test_refuses_unknown_types_and_roles_that_cannot_own_webhooks(
        self, notify_pg: str, start_notify: Any
    ) -> None:
        body = {"url": "https://eco.example.cn/hook", "secret": "s" * 20, "event_types": ["NoSuchEvent"]}
        async with start_notify(notify_pg) as svc:
            unknown = await svc.client.post("/v1/webhooks", headers=ECO, json=body)
            enterprise = await svc.client.post(
                "/v1/webhooks",
                headers=bearer("enterprise", enterprise_id=E),
                json={**body, "event_types": []},
            )
            short_secret = await svc.client.post("/v1/webhooks", headers=ECO, json={**body, "secret": "x"})
            listed = await svc.client.get("/v1/webhooks", headers=ECO)
        assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == ["body", "event_types"]
        assert enterprise.status_code == 403
        assert short_secret.status_code == 422
        assert listed.json() == {"items": [], "next_cursor": None}
