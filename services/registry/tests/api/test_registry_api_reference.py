"""Departments and other reference tables; CCER candidate projects (list, create, status, export)."""

from __future__ import annotations

import csv
import io
from typing import Any

from carbon_shared.testing.apps import bearer
from carbon_shared.testing.services import RunningService

REGULATOR = bearer("regulator")
CONTRACT_DEPARTMENTS = {
    "eco", "miit", "samr", "police", "ndrc", "pboc", "stats", "nr", "fin", "finance",
    "640502", "640521", "640522", "park",
}  # fmt: skip
PROJECT = {
    "name": "海原县南华山 100MW 风电项目",
    "project_type": "wind",
    "county_code": "640522",
    "owner": "海原某新能源有限公司",
    "estimated_annual_reduction_tco2e": 182000.5,
}


class TestDepartments:
    async def test_every_contract_code_with_its_chinese_name(self, registry: RunningService) -> None:
        response = await registry.client.get(
            "/v1/departments", headers=bearer("department", department="eco")
        )
        items = {d["code"]: d for d in response.json()["items"]}
        assert set(items) == CONTRACT_DEPARTMENTS
        assert items["samr"]["name_zh"] == "中卫市市场监督管理局" and items["640521"]["county_government"]

    async def test_reference_tables_need_a_login(self, registry: RunningService) -> None:
        for path in ("/v1/departments", "/v1/counties", "/v1/sectors", "/v1/ccer-project-types"):
            assert (await registry.client.get(path)).status_code == 401
            assert (await registry.client.get(path, headers=REGULATOR)).status_code == 200


async def add(registry: RunningService, **overrides: Any) -> dict[str, Any]:
    response = await registry.client.post("/v1/ccer-projects", json=PROJECT | overrides, headers=REGULATOR)
    assert response.status_code == 201, response.text
    return response.json()


class TestCcerProjects:
    async def test_created_as_candidate_and_listed_by_type(self, registry: RunningService) -> None:
        wind = await add(registry)
        await add(registry, name="中宁县光伏项目", project_type="solar", county_code="中宁县")
        assert (wind["status"], wind["estimated_annual_reduction_tco2e"]) == ("candidate", 182000.5)
        listed = await registry.client.get(
            "/v1/ccer-projects", params={"project_type": "wind"}, headers=bearer("ops")
        )
        assert [p["name"] for p in listed.json()["items"]] == [PROJECT["name"]]

    async def test_each_bad_field_is_named(self, registry: RunningService) -> None:
        response = await registry.client.post(
            "/v1/ccer-projects",
            json=PROJECT | {"project_type": "nuclear", "estimated_annual_reduction_tco2e": -5},
            headers=REGULATOR,
        )
        assert response.status_code == 422
        assert [e["loc"] for e in response.json()["errors"]] == [
            ["body", "project_type"], ["body", "estimated_annual_reduction_tco2e"]
        ]  # fmt: skip
        assert (
            await registry.client.post("/v1/ccer-projects", json=PROJECT, headers=bearer("ops"))
        ).status_code == 403

    async def test_status_moves_forward_only(self, registry: RunningService) -> None:
        project = await add(registry)
        url = f"/v1/ccer-projects/{project['id']}/status"
        assert (
            await registry.client.post(url, json={"status": "registered"}, headers=REGULATOR)
        ).status_code == 409
        moved = await registry.client.post(url, json={"status": "developing"}, headers=REGULATOR)
        assert moved.json()["status"] == "developing"

    async def test_export_as_csv(self, registry: RunningService) -> None:
        await add(registry)
        exported = await registry.client.get("/v1/ccer-projects/export", headers=REGULATOR)
        rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert [(r["name"], r["estimated_annual_reduction_tco2e"]) for r in rows] == [
            (PROJECT["name"], "182000.5")
        ]
