"""Third-party agencies over HTTP: registration, inspections and violations with the reference ban period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from carbon_registry.domain.agency import ViolationKind, add_months
from carbon_registry.reference import load_agency_sanctions
from carbon_registry.testing import emitted, valid_uscc
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.services import RunningService

REGULATOR = bearer("regulator")


async def register(registry: RunningService, index: int = 1, kind: str = "verification") -> dict[str, Any]:
    body = {
        "uscc": valid_uscc(500 + index, "640502"),
        "name": f"宁夏某碳核查技术服务有限公司{index}",
        "kind": kind,
    }
    response = await registry.client.post("/v1/agencies", json=body, headers=REGULATOR)
    assert response.status_code == 201, response.text
    return response.json()


class TestRegisterAgency:
    async def test_created_and_announced(self, registry: RunningService) -> None:
        agency = await register(registry)
        assert (agency["kind"], agency["banned"]) == ("verification", False)
        (event,) = await emitted(registry, "AgencyRegistered")
        assert (event["agency_id"], event["name"]) == (agency["id"], agency["name"])

    async def test_refusals(self, registry: RunningService) -> None:
        agency = await register(registry)
        duplicate = {"uscc": agency["uscc"], "name": "另一家", "kind": "testing"}
        assert (
            await registry.client.post("/v1/agencies", json=duplicate, headers=REGULATOR)
        ).status_code == 409
        bad_kind = {"uscc": valid_uscc(9), "name": "某机构", "kind": "audit"}
        assert (
            await registry.client.post("/v1/agencies", json=bad_kind, headers=REGULATOR)
        ).status_code == 422
        bad_uscc = {"uscc": valid_uscc(9)[:-1] + "Z", "name": "某机构", "kind": "testing"}
        response = await registry.client.post("/v1/agencies", json=bad_uscc, headers=REGULATOR)
        assert (response.status_code, response.json()["errors"][0]["loc"]) == (422, ["body", "uscc"])
        assert (await registry.client.post("/v1/agencies", json=bad_kind)).status_code == 401


class TestInspectAgency:
    async def test_failed_inspection_bars_the_agency_for_the_reference_period(
        self, registry: RunningService
    ) -> None:
        agency = await register(registry)
        day = dt.date.today() - dt.timedelta(days=10)
        response = await registry.client.post(
            f"/v1/agencies/{agency['id']}/inspections",
            json={"date": day.isoformat(), "passed": False, "findings": "核查报告与现场不符"},
            headers=REGULATOR,
        )
        assert response.status_code == 201
        months = load_agency_sanctions().ban_months[ViolationKind.INSPECTION_FAILED]
        expected_end = (add_months(day, months) - dt.timedelta(days=1)).isoformat()
        assert response.json()["banned_until"] == expected_end
        (event,) = await emitted(registry, "AgencyViolationRecorded")
        assert (event["violation"], event["banned_until"], event["findings"]) == (
            "inspection_failed", expected_end, "核查报告与现场不符"
        )  # fmt: skip
        fetched = (await registry.client.get(f"/v1/agencies/{agency['id']}", headers=REGULATOR)).json()
        assert (fetched["banned"], fetched["banned_until"]) == (True, expected_end)

    async def test_passed_inspection_is_kept_without_an_event(self, registry: RunningService) -> None:
        agency = await register(registry)
        url = f"/v1/agencies/{agency['id']}/inspections"
        response = await registry.client.post(
            url, json={"date": "2025-03-01", "passed": True}, headers=REGULATOR
        )
        assert response.status_code == 201 and response.json()["violation"] is None
        assert await emitted(registry, "AgencyViolationRecorded") == []
        assert len((await registry.client.get(url, headers=REGULATOR)).json()["items"]) == 1

    async def test_failed_without_findings_is_422_and_unknown_agency_404(
        self, registry: RunningService
    ) -> None:
        agency = await register(registry)
        body = {"date": "2025-03-01", "passed": False, "findings": ""}
        response = await registry.client.post(
            f"/v1/agencies/{agency['id']}/inspections", json=body, headers=REGULATOR
        )
        assert (response.status_code, response.json()["errors"][0]["loc"]) == (422, ["body", "findings"])
        assert (
            await registry.client.post("/v1/agencies/nope/inspections", json=body, headers=REGULATOR)
        ).status_code == 404


class TestRecordViolation:
    async def test_violation_emits_and_lists_with_failed_inspections(self, registry: RunningService) -> None:
        agency = await register(registry)
        base = f"/v1/agencies/{agency['id']}"
        await registry.client.post(
            f"{base}/inspections",
            json={"date": "2025-03-01", "passed": False, "findings": "失实"},
            headers=REGULATOR,
        )
        response = await registry.client.post(
            f"{base}/violations", json={"date": "2025-04-01", "findings": "超范围执业"}, headers=REGULATOR
        )
        assert response.status_code == 201
        assert [e["violation"] for e in await emitted(registry, "AgencyViolationRecorded")] == [
            "inspection_failed",
            "violation",
        ]
        listed = (await registry.client.get(f"{base}/violations", headers=REGULATOR)).json()["items"]
        assert sorted(v["violation"] for v in listed) == ["inspection_failed", "violation"]


class TestReadAgencies:
    async def test_a_verifier_sees_only_its_agency_and_an_enterprise_none(
        self, registry: RunningService
    ) -> None:
        own, other = await register(registry, 1), await register(registry, 2, kind="testing")
        verifier = bearer("verifier", agency_id=own["id"])
        assert [
            a["id"] for a in (await registry.client.get("/v1/agencies", headers=verifier)).json()["items"]
        ] == [own["id"]]
        assert (await registry.client.get(f"/v1/agencies/{other['id']}", headers=verifier)).status_code == 404
        enterprise = bearer("enterprise", enterprise_id="E1")
        assert (await registry.client.get("/v1/agencies", headers=enterprise)).status_code == 403
        testing = (
            await registry.client.get("/v1/agencies", params={"kind": "testing"}, headers=REGULATOR)
        ).json()
        assert [a["id"] for a in testing["items"]] == [other["id"]]
        exported = await registry.client.get(
            "/v1/agencies/export", params={"format": "xlsx"}, headers=REGULATOR
        )
        assert exported.status_code == 200 and exported.content[:2] == b"PK"
