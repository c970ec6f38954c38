"""Ratings over HTTP (embedded shape): the contract's GET, roles, facts, agencies, recompute."""

from __future__ import annotations

import datetime as dt

from carbon_credit.testing import envelope, feed, registered
from carbon_shared.events import AgencyRegistered, AgencyViolationRecorded, LedgerOverdue, ReportOverdue
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.services import RunningService

REGULATOR = bearer("regulator")
DUE = dt.date(2021, 3, 31)


class TestEnterpriseRating:
    async def test_registered_enterprise_is_green_at_once_with_its_chinese_name(
        self, credit: RunningService
    ) -> None:
        await feed(credit, [envelope(registered("E1"))])
        response = await credit.client.get("/v1/credit/enterprises/E1", headers=REGULATOR)
        assert response.status_code == 200
        body = response.json()
        assert (body["subject_id"], body["level"], body["points"], body["history"]) == ("E1", "green", 0, [])
        assert body["name"] == "中卫市宏达发电有限公司"

    async def test_a_fact_lowers_the_level_and_the_history_names_its_event(
        self, credit: RunningService
    ) -> None:
        late = envelope(LedgerOverdue(enterprise_id="E1", year=2025, month=1, due_date=dt.date(2025, 3, 12)))
        await feed(credit, [envelope(registered("E1")), late])
        body = (await credit.client.get("/v1/credit/enterprises/E1", headers=REGULATOR)).json()
        assert body["level"] == "blue" and body["points"] > 0
        [line] = body["history"]
        assert line["cause_event_id"] == str(late.event_id)
        assert (line["cause"], line["level_before"], line["level_after"]) == (
            "LedgerOverdue",
            "green",
            "blue",
        )
        assert set(line) >= {"at", "cause_event_id", "cause", "level_before", "level_after"}

    async def test_enterprise_sees_its_own_rating_only(self, credit: RunningService) -> None:
        await feed(credit, [envelope(registered("E1")), envelope(registered("E2"))])
        own = await credit.client.get(
            "/v1/credit/enterprises/E1", headers=bearer("enterprise", enterprise_id="E1")
        )
        other = await credit.client.get(
            "/v1/credit/enterprises/E2", headers=bearer("enterprise", enterprise_id="E1")
        )
        assert (own.status_code, other.status_code) == (200, 404)
        assert other.headers["content-type"] == "application/problem+json"

    async def test_auth_and_role_errors(self, credit: RunningService) -> None:
        await feed(credit, [envelope(registered("E1"))])
        anonymous = await credit.client.get("/v1/credit/enterprises/E1")
        verifier = await credit.client.get(
            "/v1/credit/enterprises/E1", headers=bearer("verifier", agency_id="A1")
        )
        unknown = await credit.client.get("/v1/credit/enterprises/NOPE", headers=REGULATOR)
        assert (anonymous.status_code, verifier.status_code, unknown.status_code) == (401, 403, 404)


class TestAgencyRating:
    async def test_agency_is_rated_and_a_violation_counts(self, credit: RunningService) -> None:
        violation = AgencyViolationRecorded(
            agency_id="A1", agency_name="宁夏碳核查中心", violation="inspection_failed",
            occurred_on=dt.date(2025, 5, 1), findings="数据不实",
        )  # fmt: skip
        registration = AgencyRegistered(
            agency_id="A1", uscc="91640500MA76P2XK3C", name="宁夏碳核查中心", kind="verification"
        )
        await feed(credit, [envelope(registration), envelope(violation)])
        own = await credit.client.get("/v1/credit/agencies/A1", headers=bearer("verifier", agency_id="A1"))
        other = await credit.client.get("/v1/credit/agencies/A1", headers=bearer("verifier", agency_id="A2"))
        assert own.status_code == 200 and other.status_code == 404
        assert own.json()["level"] == "blue"
        assert own.json()["history"][0]["cause"] == "AgencyViolationRecorded.inspection_failed"


class TestFactsList:
    async def test_facts_are_paginated_with_their_event_ids(self, credit: RunningService) -> None:
        envelopes = [envelope(registered("E1"))] + [
            envelope(LedgerOverdue(enterprise_id="E1", year=2025, month=m, due_date=dt.date(2025, m + 1, 10)))
            for m in range(1, 4)
        ]
        await feed(credit, envelopes)
        first = (await credit.client.get("/v1/credit/enterprises/E1/facts?limit=2", headers=REGULATOR)).json()
        second = await credit.client.get(
            f"/v1/credit/enterprises/E1/facts?limit=2&cursor={first['next_cursor']}", headers=REGULATOR
        )
        ids = [f["fact_id"] for f in first["items"] + second.json()["items"]]
        assert sorted(ids) == sorted(str(e.event_id) for e in envelopes[1:])
        assert second.json()["next_cursor"] is None


class TestRecompute:
    async def test_replay_of_stored_facts_equals_the_incremental_ratings(
        self, credit: RunningService
    ) -> None:
        now = dt.datetime.now(dt.UTC)
        envelopes = [envelope(registered("E1")), envelope(registered("E2"))] + [
            envelope(ReportOverdue(enterprise_id=f"E{n % 2 + 1}", year=2020 + n, due_date=DUE),
                     at=now - dt.timedelta(days=40 * (6 - n)))
            for n in range(6)
        ]  # fmt: skip
        await feed(credit, envelopes)
        ops = bearer("ops")
        report = (await credit.client.post("/v1/credit/recompute", json={}, headers=ops)).json()
        assert (report["subjects"], report["facts"], report["differs"]) == (2, 6, False)
        forbidden = await credit.client.post(
            "/v1/credit/recompute", json={}, headers=bearer("department", department="eco")
        )
        unknown = await credit.client.post(
            "/v1/credit/recompute", json={"rule_version": "1999.9"}, headers=ops
        )
        assert (forbidden.status_code, unknown.status_code) == (403, 422)
