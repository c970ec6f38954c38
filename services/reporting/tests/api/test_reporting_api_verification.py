"""Assignment, verification, re-check, falsification and the region's push (SQLite + embedded bus)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from carbon_shared.testing.apps import bearer

REGULATOR = bearer("regulator")
REGION = bearer("region")


def enterprise_token(enterprise_id: str) -> dict[str, str]:
    return bearer("enterprise", enterprise_id=enterprise_id)


def verifier_token(agency_id: str) -> dict[str, str]:
    return bearer("verifier", agency_id=agency_id)


async def _submitted(reporting: Any, enterprise_id: str = "E1", **extra: Any) -> dict[str, Any]:
    await reporting.register(enterprise_id)
    report = await reporting.draft(enterprise_id, **extra)
    response = await reporting.post(f"/v1/reports/{report['id']}/submit", enterprise_token(enterprise_id))
    assert response.status_code == 200, response.text
    return response.json()


class TestAssignAgency:
    async def test_regulator_assigns_a_verification_agency(self, reporting: Any) -> None:
        await reporting.agency("A1")
        report = await _submitted(reporting)
        response = await reporting.post(
            f"/v1/reports/{report['id']}/assignment", REGULATOR, {"agency_id": "A1"}
        )
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["assigned_agency_id"]) == ("in_verification", "A1")

    async def test_banned_agency_is_refused_until_the_ban_ends(self, reporting: Any) -> None:
        await reporting.agency("A1", banned_until=dt.date(2999, 12, 31))
        report = await _submitted(reporting)
        response = await reporting.post(
            f"/v1/reports/{report['id']}/assignment", REGULATOR, {"agency_id": "A1"}
        )
        assert response.status_code == 409
        assert "barred" in response.json()["detail"]

    async def test_agency_that_prepared_the_report_is_refused(self, reporting: Any) -> None:
        await reporting.agency("A1")
        report = await _submitted(reporting, prepared_by_agency_id="A1")
        response = await reporting.post(
            f"/v1/reports/{report['id']}/assignment", REGULATOR, {"agency_id": "A1"}
        )
        assert response.status_code == 409

    async def test_non_verification_agency_is_409_and_unknown_agency_422(self, reporting: Any) -> None:
        await reporting.agency("T1", kind="testing")
        report = await _submitted(reporting)
        url = f"/v1/reports/{report['id']}/assignment"
        assert (await reporting.post(url, REGULATOR, {"agency_id": "T1"})).status_code == 409
        unknown = await reporting.post(url, REGULATOR, {"agency_id": "A404"})
        assert unknown.status_code == 422
        assert unknown.json()["errors"][0]["loc"] == ["body", "agency_id"]

    async def test_only_the_regulator_assigns(self, reporting: Any) -> None:
        await reporting.agency("A1")
        report = await _submitted(reporting)
        url = f"/v1/reports/{report['id']}/assignment"
        assert (await reporting.post(url, enterprise_token("E1"), {"agency_id": "A1"})).status_code == 403
        assert (await reporting.post(url, {}, {"agency_id": "A1"})).status_code == 401


class TestRecordVerification:
    async def test_accepted_verifies_and_emits_report_verified(self, reporting: Any) -> None:
        await reporting.register("E1")
        await reporting.agency("A1")
        report = await reporting.in_verification("E1", "A1")
        response = await reporting.accept(report["id"], "A1", 199000.5)
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["status"], body["revision"], body["verified_emissions_tco2e"]) == (
            "verified",
            1,
            199000.5,
        )
        [event] = await reporting.emitted("ReportVerified")
        assert event["enterprise_id"] == "E1" and event["year"] == 2024
        assert (event["revision"], event["verified_emissions_tco2e"], event["agency_id"]) == (
            1,
            "199000.5",
            "A1",
        )

    async def test_verifier_of_another_agency_gets_403(self, reporting: Any) -> None:
        await reporting.register("E1")
        await reporting.agency("A1")
        report = await reporting.in_verification("E1", "A1")
        response = await reporting.accept(report["id"], "A2", 1)
        assert response.status_code == 403
        assert await reporting.emitted("ReportVerified") == []

    async def test_returned_goes_back_to_the_enterprise_which_resubmits(self, reporting: Any) -> None:
        await reporting.register("E1")
        await reporting.agency("A1")
        report = await reporting.in_verification("E1", "A1")
        body = {"conclusion": "returned", "opinion": "燃煤低位发热量缺少检测报告"}
        returned = await reporting.post(
            f"/v1/reports/{report['id']}/verification", verifier_token("A1"), body
        )
        assert returned.json()["status"] == "returned"
        [event] = await reporting.emitted("ReportReturned")
        assert event["opinion"] == "燃煤低位发热量缺少检测报告"
        again = await reporting.post(f"/v1/reports/{report['id']}/submit", enterprise_token("E1"))
        assert again.json()["status"] == "submitted"

    async def test_accepted_without_a_figure_is_422(self, reporting: Any) -> None:
        await reporting.register("E1")
        await reporting.agency("A1")
        report = await reporting.in_verification("E1", "A1")
        body = {"conclusion": "accepted", "opinion": "ok"}
        response = await reporting.post(
            f"/v1/reports/{report['id']}/verification", verifier_token("A1"), body
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "verified_emissions_tco2e"]

    async def test_region_verifies_a_submitted_report_directly(self, reporting: Any) -> None:
        report = await _submitted(reporting)
        body = {"verified_emissions_tco2e": 10, "conclusion": "accepted", "opinion": "自治区核查"}
        response = await reporting.post(f"/v1/reports/{report['id']}/verification", REGION, body)
        assert response.status_code == 200
        [event] = await reporting.emitted("ReportVerified")
        assert event["agency_id"] is None and event["verified_by"] == "dev-region"


class TestOrderRecheck:
    async def test_recheck_ends_in_a_higher_revision_and_the_history_keeps_every_step(
        self, reporting: Any
    ) -> None:
        await reporting.register("E1")
        await reporting.agency("A1")
        await reporting.agency("A2")
        report = await reporting.in_verification("E1", "A1")
        await reporting.accept(report["id"], "A1", 199000)
        recheck = await reporting.post(
            f"/v1/reports/{report['id']}/recheck", REGULATOR, {"reason": "举报核实"}
        )
        assert recheck.json()["status"] == "recheck_ordered"
        await reporting.post(f"/v1/reports/{report['id']}/assignment", REGULATOR, {"agency_id": "A2"})
        final = await reporting.accept(report["id"], "A2", 205000)
        assert (final.json()["revision"], final.json()["verified_emissions_tco2e"]) == (2, 205000)
        events = await reporting.emitted("ReportVerified")
        assert [(e["revision"], e["agency_id"]) for e in events] == [(1, "A1"), (2, "A2")]
        [ordered] = await reporting.emitted("RecheckOrdered")
        assert ordered["reason"] == "举报核实"
        history = await reporting.client.get(f"/v1/reports/{report['id']}/history", headers=REGULATOR)
        steps = [(t["action"], t["to_status"], t["revision"]) for t in history.json()["items"]]
        assert steps == [
            ("submit", "submitted", 0),
            ("assign", "in_verification", 0),
            ("verify", "verified", 1),
            ("order_recheck", "recheck_ordered", 1),
            ("assign", "in_verification", 1),
            ("verify", "verified", 2),
        ]

    async def test_recheck_of_an_unverified_report_is_409_and_needs_the_regulator(
        self, reporting: Any
    ) -> None:
        report = await _submitted(reporting)
        url = f"/v1/reports/{report['id']}/recheck"
        assert (await reporting.post(url, REGULATOR, {"reason": "x"})).status_code == 409
        assert (await reporting.post(url, REGION, {"reason": "x"})).status_code == 403


class TestSuspectFalsification:
    async def test_regulator_mark_emits_the_event_and_is_listed_with_the_flags(self, reporting: Any) -> None:
        report = await _submitted(reporting)
        response = await reporting.post(
            f"/v1/reports/{report['id']}/falsification", REGULATOR, {"reason": "煤样送检记录与台账不符"}
        )
        assert response.status_code == 200
        assert response.json()["falsification_suspected"] is True
        [event] = await reporting.emitted("FalsificationSuspected")
        assert (event["reason"], event["flagged_by"]) == ("煤样送检记录与台账不符", "dev-regulator")
        flags = await reporting.client.get(f"/v1/reports/{report['id']}/flags", headers=REGULATOR)
        assert [f["kind"] for f in flags.json()["items"]] == ["falsification"]

    async def test_a_draft_cannot_be_suspected(self, reporting: Any) -> None:
        await reporting.register("E1")
        report = await reporting.draft("E1")
        response = await reporting.post(
            f"/v1/reports/{report['id']}/falsification", REGULATOR, {"reason": "x"}
        )
        assert response.status_code == 409


class TestDataQualityFlags:
    async def test_out_of_range_carbon_content_is_flagged_on_submit(self, reporting: Any) -> None:
        line = {
            "fuel": "bituminous_coal",
            "amount": 100,
            "unit": "t",
            "ncv_gj_per_unit": 19,
            "cc_tc_per_gj": 0.05,
        }
        report = await _submitted(reporting, fuels=[line])
        [event] = await reporting.emitted("DataQualityFlagged")
        assert (event["report_id"], event["check"]) == (report["id"], "carbon_content_out_of_range")
        flags = await reporting.client.get(
            f"/v1/reports/{report['id']}/flags", headers=enterprise_token("E1")
        )
        assert [f["check"] for f in flags.json()["items"]] == ["carbon_content_out_of_range"]

    async def test_plausible_report_raises_no_flag(self, reporting: Any) -> None:
        await _submitted(reporting)
        assert await reporting.emitted("DataQualityFlagged") == []

    async def test_jump_against_last_years_verified_emissions_is_flagged(self, reporting: Any) -> None:
        await reporting.register("E1")
        previous = await _submitted(reporting, year=2023)
        body = {"verified_emissions_tco2e": 100000, "conclusion": "accepted", "opinion": "ok"}
        await reporting.post(f"/v1/reports/{previous['id']}/verification", REGION, body)
        report = await reporting.draft("E1", 2024)  # 199,650 t: +99.65 % against 100,000 t
        await reporting.post(f"/v1/reports/{report['id']}/submit", enterprise_token("E1"))
        assert [e["check"] for e in await reporting.emitted("DataQualityFlagged")] == ["year_on_year_jump"]


class TestRegionPush:
    async def test_each_result_is_applied_or_refused_on_its_own(self, reporting: Any) -> None:
        report = await _submitted(reporting)
        results = [
            {
                "report_id": report["id"],
                "verified_emissions_tco2e": 5,
                "conclusion": "accepted",
                "opinion": "ok",
            },
            {
                "report_id": "missing",
                "verified_emissions_tco2e": 5,
                "conclusion": "accepted",
                "opinion": "ok",
            },
        ]
        response = await reporting.post("/v1/region/verification-results", REGION, {"results": results})
        assert response.status_code == 200
        applied, refused = response.json()["results"]
        assert (applied["applied"], applied["status"], applied["revision"]) == (True, "verified", 1)
        assert (refused["applied"], refused["problem_status"]) == (False, 404)
        forbidden = await reporting.post("/v1/region/verification-results", REGULATOR, {"results": results})
        assert forbidden.status_code == 403
