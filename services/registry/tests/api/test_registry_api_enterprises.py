"""Enterprises over HTTP: registration checks, roles, filters and search, edits with history, closure."""

from __future__ import annotations

from typing import Any

from carbon_registry.testing import emitted, enterprise_body, valid_uscc
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.services import RunningService

REGULATOR = bearer("regulator")


async def register(registry: RunningService, index: int, **overrides: Any) -> dict[str, Any]:
    response = await registry.client.post(
        "/v1/enterprises", json=enterprise_body(index, **overrides), headers=REGULATOR
    )
    assert response.status_code == 201, response.text
    return response.json()


async def refused(registry: RunningService, body: dict[str, Any]) -> dict[str, Any]:
    response = await registry.client.post("/v1/enterprises", json=body, headers=REGULATOR)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


class TestRegisterEnterprise:
    async def test_created_with_chinese_text_round_tripped_and_an_event(
        self, registry: RunningService
    ) -> None:
        body = enterprise_body(
            1,
            address="宁夏中卫市沙坡头区迎水桥镇",
            legal_representative="张伟",
            industry_code="d4411",
            facilities=[{"name": "1号机组", "kind": "燃煤机组", "capacity_mw": 350}],
        )
        response = await registry.client.post("/v1/enterprises", json=body, headers=REGULATOR)
        assert response.status_code == 201
        created = response.json()
        assert (created["name"], created["status"], created["address"]) == (
            body["name"],
            "active",
            body["address"],
        )
        assert (created["industry_code"], created["facilities"][0]["capacity_mw"]) == ("D4411", 350)
        fetched = await registry.client.get(f"/v1/enterprises/{created['id']}", headers=REGULATOR)
        assert fetched.json() == created
        (event,) = await emitted(registry, "EnterpriseRegistered")
        assert (event["enterprise_id"], event["name"], event["contacts"][0]["email"]) == (
            created["id"], body["name"], "wang1@example.cn"
        )  # fmt: skip

    async def test_wrong_check_digit_names_the_expected_one(self, registry: RunningService) -> None:
        good = valid_uscc(7)
        wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
        problem = await refused(registry, enterprise_body(7, uscc=wrong))
        assert problem["errors"][0]["loc"] == ["body", "uscc"]
        assert f"check digit should be {good[-1]}" in problem["errors"][0]["msg"]

    async def test_county_outside_zhongwei_unknown_sector_and_bad_email_each_named(
        self, registry: RunningService
    ) -> None:
        problem = await refused(
            registry,
            enterprise_body(
                8, county_code="640104", sector="tobacco", contacts=[{"name": "李", "email": "li@@example"}]
            ),
        )
        by_loc = {tuple(e["loc"]): e["type"] for e in problem["errors"]}
        assert by_loc == {
            ("body", "sector"): "unknown_sector",
            ("body", "county_code"): "unknown_county",
            ("body", "contacts", 0, "email"): "invalid_email",
        }

    async def test_same_uscc_twice_is_409(self, registry: RunningService) -> None:
        await register(registry, 3)
        again = await registry.client.post(
            "/v1/enterprises", json=enterprise_body(3, name="另一家公司"), headers=REGULATOR
        )
        assert again.status_code == 409
        assert again.json()["status"] == 409

    async def test_no_token_is_401_and_other_roles_403(self, registry: RunningService) -> None:
        assert (await registry.client.post("/v1/enterprises", json=enterprise_body(4))).status_code == 401
        for role in (bearer("enterprise", enterprise_id="E1"), bearer("ops")):
            response = await registry.client.post("/v1/enterprises", json=enterprise_body(4), headers=role)
            assert response.status_code == 403


class TestReadEnterprise:
    async def test_an_enterprise_sees_only_its_own_record(self, registry: RunningService) -> None:
        own, other = await register(registry, 1), await register(registry, 2)
        me = bearer("enterprise", enterprise_id=own["id"])
        assert (await registry.client.get(f"/v1/enterprises/{own['id']}", headers=me)).status_code == 200
        assert (await registry.client.get(f"/v1/enterprises/{other['id']}", headers=me)).status_code == 404
        assert (
            await registry.client.get(f"/v1/enterprises/{other['id']}/history", headers=me)
        ).status_code == 404
        listed = (await registry.client.get("/v1/enterprises", headers=me)).json()["items"]
        assert [item["id"] for item in listed] == [own["id"]]

    async def test_the_public_sees_no_enterprise(self, registry: RunningService) -> None:
        own = await register(registry, 1)
        assert (await registry.client.get(f"/v1/enterprises/{own['id']}")).status_code == 401
        assert (await registry.client.get("/v1/enterprises")).status_code == 401

    async def test_unknown_id_is_404(self, registry: RunningService) -> None:
        assert (await registry.client.get("/v1/enterprises/nope", headers=REGULATOR)).status_code == 404


class TestListEnterprises:
    async def test_filters_search_and_pages(self, registry: RunningService) -> None:
        a = await register(registry, 1, sector="building_materials", name="中宁县赛马水泥有限公司")
        b = await register(registry, 2, sector="power")
        c = await register(registry, 4, sector="power")

        async def ids(**params: Any) -> list[str]:
            response = await registry.client.get("/v1/enterprises", params=params, headers=REGULATOR)
            return sorted(item["id"] for item in response.json()["items"])

        assert await ids(sector="power") == sorted([b["id"], c["id"]])
        assert await ids(county_code=b["county_code"]) == sorted(
            e["id"] for e in (a, b, c) if e["county_code"] == b["county_code"]
        )
        assert await ids(q="赛马水泥") == [a["id"]]
        assert await ids(q=c["uscc"][-6:].lower()) == [c["id"]]
        assert await ids(status="closed") == []
        first = (await registry.client.get("/v1/enterprises", params={"limit": 2}, headers=REGULATOR)).json()
        second = (
            await registry.client.get(
                "/v1/enterprises", params={"limit": 2, "cursor": first["next_cursor"]}, headers=REGULATOR
            )
        ).json()
        assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["next_cursor"] is None
        assert {i["id"] for i in first["items"] + second["items"]} == {a["id"], b["id"], c["id"]}

    async def test_limit_above_500_and_a_bad_cursor_are_422(self, registry: RunningService) -> None:
        for params in ({"limit": 501}, {"cursor": "%%%"}):
            response = await registry.client.get("/v1/enterprises", params=params, headers=REGULATOR)
            assert response.status_code == 422


class TestUpdateEnterprise:
    async def test_change_is_kept_as_history_and_announced(self, registry: RunningService) -> None:
        created = await register(registry, 1)
        response = await registry.client.patch(
            f"/v1/enterprises/{created['id']}",
            json={
                "name": "中卫市新宏达发电有限公司",
                "contacts": [{"name": "赵敏", "phone": "0955-7012345"}],
            },
            headers=bearer("regulator", sub="officer-li"),
        )
        assert response.status_code == 200 and response.json()["version"] == 2
        history = (
            await registry.client.get(f"/v1/enterprises/{created['id']}/history", headers=REGULATOR)
        ).json()
        change = history["items"][-1]
        assert (change["action"], change["actor"]) == ("updated", "officer-li")
        assert change["changes"]["name"] == {"from": created["name"], "to": "中卫市新宏达发电有限公司"}
        (event,) = await emitted(registry, "EnterpriseUpdated")
        assert event["changed_fields"] == ["name", "contacts"]
        assert event["contacts"] == [{"name": "赵敏", "email": None, "phone": "0955-7012345"}]

    async def test_an_edit_that_changes_nothing_emits_nothing(self, registry: RunningService) -> None:
        created = await register(registry, 1)
        response = await registry.client.patch(
            f"/v1/enterprises/{created['id']}", json={"name": created["name"]}, headers=REGULATOR
        )
        assert response.json()["version"] == 1
        assert await emitted(registry, "EnterpriseUpdated") == []

    async def test_taking_another_units_uscc_is_409(self, registry: RunningService) -> None:
        a, b = await register(registry, 1), await register(registry, 2)
        response = await registry.client.patch(
            f"/v1/enterprises/{a['id']}", json={"uscc": b["uscc"]}, headers=REGULATOR
        )
        assert response.status_code == 409


class TestCloseEnterprise:
    async def test_closure_emits_and_a_second_closure_is_409(self, registry: RunningService) -> None:
        created = await register(registry, 1)
        url = f"/v1/enterprises/{created['id']}/closure"
        closed = await registry.client.post(
            url, json={"closed_on": "2025-05-01", "reason": "关停淘汰"}, headers=REGULATOR
        )
        assert (closed.status_code, closed.json()["status"], closed.json()["closed_on"]) == (
            200,
            "closed",
            "2025-05-01",
        )
        (event,) = await emitted(registry, "EnterpriseClosed")
        assert (event["closed_on"], event["reason"]) == ("2025-05-01", "关停淘汰")
        again = await registry.client.post(
            url, json={"closed_on": "2025-06-01", "reason": "再次"}, headers=REGULATOR
        )
        assert again.status_code == 409

    async def test_closure_needs_a_reason(self, registry: RunningService) -> None:
        created = await register(registry, 1)
        response = await registry.client.post(
            f"/v1/enterprises/{created['id']}/closure",
            json={"closed_on": "2025-05-01", "reason": " "},
            headers=REGULATOR,
        )
        assert response.status_code == 422
