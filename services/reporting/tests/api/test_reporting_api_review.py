"""Review window (复核) on the report, the review request, a banned agency's result, the status filter
(SQLite + embedded bus)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update

from carbon_reporting.db.tables import reports
from carbon_reporting.domain.deadlines import review_window_after
from carbon_reporting.reference import load_deadline_rules, load_holiday_calendars
from carbon_shared.events import AgencyViolationRecorded
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.events import outbox_payloads, publish_events

REGION = bearer("region")
REGULATOR = bearer("regulator")
OWNER = bearer("enterprise", enterprise_id="E1")
REVIEW = {"reason": "核查机构未计入2号机组停机月份"}


async def _verified(reporting: Any) -> dict[str, Any]:
    await reporting.register("E1")
    await reporting.agency("A1")
    report = await reporting.in_verification("E1", "A1")
    accepted = await reporting.accept(report["id"], "A1", 199650)
    assert accepted.status_code == 200, accepted.text
    return accepted.json()


async def _set_verified_on(reporting: Any, report_id: str, day: dt.date) -> None:
    runtime = reporting.service.app.state.runtime
    async with runtime.session_factory() as session, session.begin():
        await session.execute(update(reports).where(reports.c.id == report_id).values(verified_on=day))


class TestReviewWindowOnTheReport:
    async def test_verified_report_shows_feedback_and_review_dates_from_the_calendar(
        self, reporting: Any
    ) -> None:
        report = await _verified(reporting)
        window = review_window_after(
            verified_on=dt.date.fromisoformat(report["verified_on"]),
            rules=load_deadline_rules(),
            calendars=load_holiday_calendars(),
        )
        assert report["review_request_due_on"] == window.review_request_due.isoformat()
        assert report["feedback_due_on"] == window.feedback_due.isoformat()
        assert report["review_request_due_on"] > report["verified_on"]

    async def test_unverified_report_has_no_dates(self, reporting: Any) -> None:
        await reporting.register("E1")
        draft = await reporting.draft("E1")
        assert (draft["feedback_due_on"], draft["review_request_due_on"]) == (None, None)


class TestRequestReview:
    async def test_owner_asks_within_the_window_and_history_records_it(self, reporting: Any) -> None:
        report = await _verified(reporting)
        response = await reporting.post(f"/v1/reports/{report['id']}/review-request", OWNER, REVIEW)
        assert response.status_code == 200, response.text
        assert (response.json()["status"], response.json()["revision"]) == ("verified", 1)
        history = (await reporting.client.get(f"/v1/reports/{report['id']}/history", headers=OWNER)).json()
        last = history["items"][-1]
        assert (last["action"], last["opinion"], last["actor_role"]) == (
            "request_review",
            REVIEW["reason"],
            "enterprise",
        )
        [event] = await outbox_payloads(reporting.service.app, "ReviewRequested")
        assert (event["report_id"], event["revision"], event["reason"]) == (report["id"], 1, REVIEW["reason"])

    async def test_after_the_window_it_is_409(self, reporting: Any) -> None:
        report = await _verified(reporting)
        await _set_verified_on(reporting, report["id"], dt.date(2025, 1, 2))
        read = (await reporting.client.get(f"/v1/reports/{report['id']}", headers=OWNER)).json()
        assert read["review_request_due_on"] == "2025-01-13"
        response = await reporting.post(f"/v1/reports/{report['id']}/review-request", OWNER, REVIEW)
        assert response.status_code == 409
        assert "2025-01-13" in response.json()["detail"]

    async def test_before_verification_409_other_enterprise_404_regulator_403(self, reporting: Any) -> None:
        await reporting.register("E1")
        draft = await reporting.draft("E1")
        url = f"/v1/reports/{draft['id']}/review-request"
        assert (await reporting.post(url, OWNER, REVIEW)).status_code == 409
        assert (
            await reporting.post(url, bearer("enterprise", enterprise_id="E2"), REVIEW)
        ).status_code == 404
        assert (await reporting.post(url, REGULATOR, REVIEW)).status_code == 403
        assert (await reporting.post(url, OWNER, {"reason": ""})).status_code == 422


class TestResultAfterTheAgencyWasBanned:
    async def _ban(self, reporting: Any, until: dt.date) -> None:
        event = AgencyViolationRecorded(
            agency_id="A1",
            agency_name="核查A1",
            violation="inspection_failed",
            occurred_on=dt.date(2025, 1, 1),
            findings="数据造假",
            banned_until=until,
        )
        await publish_events(reporting.service.platform, [event])
        await reporting.agency("A1", banned_until=until)

    async def test_verifier_of_a_banned_agency_gets_409_the_region_may_record(self, reporting: Any) -> None:
        await reporting.register("E1")
        await reporting.agency("A1")
        report = await reporting.in_verification("E1", "A1")
        await self._ban(reporting, dt.date(2999, 12, 31))
        refused = await reporting.accept(report["id"], "A1", 199650)
        assert refused.status_code == 409
        assert "barred" in refused.json()["detail"]
        assert await reporting.emitted("ReportVerified") == []
        body = {"verified_emissions_tco2e": 199650, "conclusion": "accepted", "opinion": "区域核定"}
        by_region = await reporting.post(f"/v1/reports/{report['id']}/verification", REGION, body)
        assert (by_region.status_code, by_region.json()["status"]) == (200, "verified")

    async def test_a_ban_already_over_does_not_stop_the_result(self, reporting: Any) -> None:
        await reporting.register("E1")
        await reporting.agency("A1")
        report = await reporting.in_verification("E1", "A1")
        await self._ban(reporting, dt.date(2020, 1, 1))
        assert (await reporting.accept(report["id"], "A1", 199650)).status_code == 200


class TestStatusFilter:
    async def test_unknown_status_is_422_naming_the_query_field(self, reporting: Any) -> None:
        response = await reporting.client.get("/v1/reports?status=verifyed", headers=REGULATOR)
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert ["query", "status"] in [error["loc"] for error in response.json()["errors"]]

    async def test_known_status_filters(self, reporting: Any) -> None:
        await reporting.register("E1")
        await reporting.register("E2")
        await reporting.draft("E1")
        submitted = await reporting.draft("E2")
        await reporting.post(
            f"/v1/reports/{submitted['id']}/submit", bearer("enterprise", enterprise_id="E2")
        )
        page = (await reporting.client.get("/v1/reports?status=submitted", headers=REGULATOR)).json()
        assert [item["id"] for item in page["items"]] == [submitted["id"]]
