"""The contract's report endpoints on SQLite + the embedded bus: create, read, list, submit, edit."""

from __future__ import annotations

from typing import Any

import pytest

from carbon_shared.testing.apps import bearer

REGULATOR = bearer("regulator")
# The issue's example: 100,000 t coal, measured 0.55 tC/t, oxidation 0.99 -> 199,650 tCO2e.
COAL = {
    "fuel": "bituminous_coal",
    "amount": 100000,
    "unit": "t",
    "carbon_tc_per_unit": 0.55,
    "oxidation": 0.99,
}


def enterprise_token(enterprise_id: str) -> dict[str, str]:
    return bearer("enterprise", enterprise_id=enterprise_id)


def verifier_token(agency_id: str) -> dict[str, str]:
    return bearer("verifier", agency_id=agency_id)


pytestmark = pytest.mark.asyncio


def _locs(response: Any) -> list[list[Any]]:
    assert response.headers["content-type"].startswith("application/problem+json")
    return [error["loc"] for error in response.json()["errors"]]


class TestCreateReport:
    async def test_issue_example_is_accounted_with_its_breakdown(self, reporting: Any) -> None:
        await reporting.register("E1")
        response = await reporting.create("E1")
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["status"] == "draft"
        assert body["calculated_emissions_tco2e"] == 199650
        line = body["breakdown"]["facilities"][0]["fuels"][0]
        assert (line["path"], line["emissions_tco2e"]) == ("measured", 199650)
        assert body["breakdown"]["reference"]["fuels"]

    async def test_defaults_and_penalty_apply_when_nothing_is_measured(self, reporting: Any) -> None:
        await reporting.register("E1")
        body = await reporting.draft("E1", fuels=[{"fuel": "bituminous_coal", "amount": 1000, "unit": "t"}])
        line = body["breakdown"]["facilities"][0]["fuels"][0]
        assert line["path"] == "penalty"
        assert set(line["defaults_used"]) == {"ncv_gj_per_unit", "cc_tc_per_gj", "oxidation"}
        assert line["oxidation"] == 0.99

    async def test_several_facilities_are_accounted_apart(self, reporting: Any) -> None:
        await reporting.register("E1")
        facilities = [{"name": "1号机组", "fuels": [COAL]}, {"name": "2号机组", "fuels": [COAL]}]
        response = await reporting.client.post(
            "/v1/reports",
            json={"enterprise_id": "E1", "year": 2024, "facilities": facilities},
            headers=enterprise_token("E1"),
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert [f["name"] for f in body["breakdown"]["facilities"]] == ["1号机组", "2号机组"]
        assert body["calculated_emissions_tco2e"] == 399300

    async def test_second_live_report_for_the_year_is_409(self, reporting: Any) -> None:
        await reporting.register("E1")
        await reporting.draft("E1")
        response = await reporting.create("E1")
        assert response.status_code == 409
        assert response.headers["content-type"].startswith("application/problem+json")

    async def test_withdrawn_report_frees_the_year(self, reporting: Any) -> None:
        await reporting.register("E1")
        first = await reporting.draft("E1")
        withdrawn = await reporting.post(f"/v1/reports/{first['id']}/withdraw", enterprise_token("E1"))
        assert withdrawn.json()["status"] == "withdrawn"
        assert (await reporting.create("E1")).status_code == 201

    @pytest.mark.parametrize(
        ("line", "loc"),
        [
            ({**COAL, "amount": -1}, ["body", "fuels", 0, "amount"]),
            ({**COAL, "fuel": "peat"}, ["body", "fuels", 0, "fuel"]),
            ({**COAL, "unit": "kg"}, ["body", "fuels", 0, "unit"]),
            ({**COAL, "oxidation": 1.2}, ["body", "fuels", 0, "oxidation"]),
            ({**COAL, "oxidation": 0}, ["body", "fuels", 0, "oxidation"]),
        ],
    )
    async def test_bad_input_is_422_naming_the_field(
        self, reporting: Any, line: dict[str, Any], loc: list[Any]
    ) -> None:
        await reporting.register("E1")
        response = await reporting.create("E1", fuels=[line])
        assert response.status_code == 422
        assert loc in _locs(response)

    async def test_unknown_enterprise_is_422(self, reporting: Any) -> None:
        response = await reporting.create("E404")
        assert response.status_code == 422
        assert ["body", "enterprise_id"] in _locs(response)

    async def test_year_without_accounting_rules_is_422(self, reporting: Any) -> None:
        await reporting.register("E1")
        response = await reporting.create("E1", year=1999)
        assert response.status_code == 422
        assert ["body", "year"] in _locs(response)

    async def test_misspelt_factor_is_refused_not_ignored(self, reporting: Any) -> None:
        await reporting.register("E1")
        response = await reporting.create("E1", fuels=[{**COAL, "oxidation_rate": 0.9}])
        assert response.status_code == 422

    async def test_no_token_is_401_and_another_enterprise_is_403(self, reporting: Any) -> None:
        await reporting.register("E1")
        body = {"enterprise_id": "E1", "year": 2024, "fuels": [COAL]}
        assert (await reporting.client.post("/v1/reports", json=body)).status_code == 401
        other = await reporting.client.post("/v1/reports", json=body, headers=enterprise_token("E2"))
        assert other.status_code == 403
        assert (await reporting.client.post("/v1/reports", json=body, headers=REGULATOR)).status_code == 201


class TestReadReport:
    async def test_owner_reads_and_another_enterprise_gets_404(self, reporting: Any) -> None:
        await reporting.register("E1")
        report = await reporting.draft("E1")
        own = await reporting.client.get(f"/v1/reports/{report['id']}", headers=enterprise_token("E1"))
        assert own.status_code == 200
        assert own.json()["activity"]["facilities"][0]["fuels"][0]["carbon_tc_per_unit"] == 0.55
        other = await reporting.client.get(f"/v1/reports/{report['id']}", headers=enterprise_token("E2"))
        assert other.status_code == 404

    async def test_unknown_report_is_404(self, reporting: Any) -> None:
        response = await reporting.client.get("/v1/reports/nope", headers=REGULATOR)
        assert response.status_code == 404

    async def test_verifier_of_another_agency_gets_403(self, reporting: Any) -> None:
        await reporting.register("E1")
        await reporting.agency("A1")
        report = await reporting.in_verification("E1", "A1")
        assert (
            await reporting.client.get(f"/v1/reports/{report['id']}", headers=verifier_token("A1"))
        ).status_code == 200
        other = await reporting.client.get(f"/v1/reports/{report['id']}", headers=verifier_token("A2"))
        assert other.status_code == 403


class TestListReports:
    async def test_pages_with_a_cursor_and_enterprises_see_only_their_own(self, reporting: Any) -> None:
        for enterprise_id in ("E1", "E2", "E3"):
            await reporting.register(enterprise_id)
            await reporting.draft(enterprise_id)
        first = (await reporting.client.get("/v1/reports?year=2024&limit=2", headers=REGULATOR)).json()
        assert len(first["items"]) == 2 and first["next_cursor"]
        rest = await reporting.client.get(
            f"/v1/reports?year=2024&limit=2&cursor={first['next_cursor']}", headers=REGULATOR
        )
        assert len(rest.json()["items"]) == 1 and rest.json()["next_cursor"] is None
        own = (await reporting.client.get("/v1/reports", headers=enterprise_token("E2"))).json()
        assert [item["enterprise_id"] for item in own["items"]] == ["E2"]

    async def test_limit_above_500_is_422(self, reporting: Any) -> None:
        response = await reporting.client.get("/v1/reports?limit=501", headers=REGULATOR)
        assert response.status_code == 422


class TestSubmitReport:
    async def test_submit_emits_report_submitted(self, reporting: Any) -> None:
        await reporting.register("E1")
        report = await reporting.draft("E1")
        response = await reporting.post(f"/v1/reports/{report['id']}/submit", enterprise_token("E1"))
        assert response.status_code == 200
        assert response.json()["status"] == "submitted"
        [event] = await reporting.emitted("ReportSubmitted")
        assert (event["report_id"], event["revision"], event["calculated_emissions_tco2e"]) == (
            report["id"],
            1,
            "199650.00",
        )

    async def test_regulator_cannot_submit_and_resubmitting_is_409(self, reporting: Any) -> None:
        await reporting.register("E1")
        report = await reporting.draft("E1")
        assert (await reporting.post(f"/v1/reports/{report['id']}/submit", REGULATOR)).status_code == 403
        await reporting.post(f"/v1/reports/{report['id']}/submit", enterprise_token("E1"))
        again = await reporting.post(f"/v1/reports/{report['id']}/submit", enterprise_token("E1"))
        assert again.status_code == 409


class TestEditActivity:
    async def test_draft_is_accounted_again_and_a_submitted_one_is_409(self, reporting: Any) -> None:
        await reporting.register("E1")
        report = await reporting.draft("E1")
        url = f"/v1/reports/{report['id']}/activity"
        edited = await reporting.client.put(
            url, json={"fuels": [{**COAL, "amount": 10}]}, headers=enterprise_token("E1")
        )
        assert edited.status_code == 200
        assert edited.json()["calculated_emissions_tco2e"] == 19.97  # 10 * 0.55 * 0.99 * 44/12 = 19.965
        await reporting.post(f"/v1/reports/{report['id']}/submit", enterprise_token("E1"))
        late = await reporting.client.put(url, json={"fuels": [COAL]}, headers=enterprise_token("E1"))
        assert late.status_code == 409
