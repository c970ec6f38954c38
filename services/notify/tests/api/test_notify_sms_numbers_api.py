"""SMS number and webhook lifecycle API over the embedded shape: owners, normalisation and 4xx."""

from __future__ import annotations

from typing import Any

from carbon_shared.testing.apps import bearer

SAMR = bearer("department", department="samr")
POLICE = bearer("department", department="police")
REGULATOR = bearer("regulator")
OPS = bearer("ops")
ENTERPRISE = bearer("enterprise", enterprise_id="ent-1")


async def _add(client: Any, headers: dict[str, str], phone: str) -> Any:
    return await client.post("/v1/sms-numbers", headers=headers, json={"phone": phone, "label": "值班室"})


class TestRegisterSmsNumber:
    async def test_stores_the_normalised_number_once_per_owner(self, start_embedded: Any) -> None:
        async with start_embedded() as svc:
            first = await _add(svc.client, SAMR, "+86 139-0000-0001")
            again = await _add(svc.client, SAMR, "13900000001")
            other_owner = await _add(svc.client, POLICE, "13900000001")
            regulator = await _add(svc.client, REGULATOR, "13900000002")
        assert first.status_code == 201 and first.json()["phone"] == "13900000001"
        assert first.json()["owner"] == "department:samr" and first.json()["label"] == "值班室"
        assert again.status_code == 409
        assert other_owner.status_code == 201
        assert regulator.json()["owner"] == "department:eco"

    async def test_refuses_bad_numbers_and_callers_without_a_department(self, start_embedded: Any) -> None:
        async with start_embedded() as svc:
            invalid = await _add(svc.client, SAMR, "0955-1234567")
            empty = await svc.client.post("/v1/sms-numbers", headers=SAMR, json={"phone": ""})
            enterprise = await _add(svc.client, ENTERPRISE, "13900000001")
            ops = await _add(svc.client, OPS, "13900000001")
            anonymous = await svc.client.post("/v1/sms-numbers", json={"phone": "13900000001"})
        assert (invalid.status_code, empty.status_code) == (422, 422)
        assert invalid.headers["content-type"].startswith("application/problem+json")
        assert (enterprise.status_code, ops.status_code, anonymous.status_code) == (403, 403, 401)


class TestListAndRemoveSmsNumbers:
    async def test_owners_see_and_remove_only_their_own(self, start_embedded: Any) -> None:
        async with start_embedded() as svc:
            samr = (await _add(svc.client, SAMR, "13900000001")).json()
            police = (await _add(svc.client, POLICE, "13900000002")).json()
            mine = (await svc.client.get("/v1/sms-numbers", headers=SAMR)).json()
            everyone = (await svc.client.get("/v1/sms-numbers", headers=OPS, params={"limit": 1})).json()
            foreign = await svc.client.delete(f"/v1/sms-numbers/{police['id']}", headers=SAMR)
            removed = await svc.client.delete(f"/v1/sms-numbers/{samr['id']}", headers=SAMR)
            twice = await svc.client.delete(f"/v1/sms-numbers/{samr['id']}", headers=SAMR)
            left = (await svc.client.get("/v1/sms-numbers", headers=OPS)).json()
        assert [n["phone"] for n in mine["items"]] == ["13900000001"]
        assert len(everyone["items"]) == 1 and everyone["next_cursor"]
        assert (foreign.status_code, removed.status_code, twice.status_code) == (404, 204, 404)
        assert [n["id"] for n in left["items"]] == [police["id"]]


async def _webhook(client: Any, headers: dict[str, str]) -> str:
    body = {"url": "http://127.0.0.1:9/hook", "secret": "s" * 16, "event_types": []}
    response = await client.post("/v1/webhooks", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


class TestWebhookLifecycle:
    async def test_deactivate_activate_and_delete_by_the_owner(self, start_embedded: Any) -> None:
        async with start_embedded() as svc:
            hook = await _webhook(svc.client, SAMR)
            paused = await svc.client.post(f"/v1/webhooks/{hook}/deactivate", headers=SAMR)
            resumed = await svc.client.post(f"/v1/webhooks/{hook}/activate", headers=SAMR)
            deleted = await svc.client.delete(f"/v1/webhooks/{hook}", headers=SAMR)
            listed = (await svc.client.get("/v1/webhooks", headers=SAMR)).json()
            again = await svc.client.delete(f"/v1/webhooks/{hook}", headers=SAMR)
            pause_deleted = await svc.client.post(f"/v1/webhooks/{hook}/deactivate", headers=SAMR)
        assert (paused.status_code, paused.json()["active"]) == (200, False)
        assert (resumed.status_code, resumed.json()["active"]) == (200, True)
        assert deleted.status_code == 204 and listed["items"] == []
        assert (again.status_code, pause_deleted.status_code) == (404, 404)

    async def test_others_cannot_touch_it(self, start_embedded: Any) -> None:
        async with start_embedded() as svc:
            hook = await _webhook(svc.client, SAMR)
            foreign = await svc.client.delete(f"/v1/webhooks/{hook}", headers=POLICE)
            enterprise = await svc.client.post(f"/v1/webhooks/{hook}/deactivate", headers=ENTERPRISE)
            malformed = await svc.client.delete("/v1/webhooks/not-a-uuid", headers=SAMR)
            by_ops = await svc.client.post(f"/v1/webhooks/{hook}/deactivate", headers=OPS)
        assert (foreign.status_code, enterprise.status_code, malformed.status_code) == (404, 403, 422)
        assert (by_ops.status_code, by_ops.json()["active"]) == (200, False)
