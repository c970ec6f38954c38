"""Complaints (投诉举报) over HTTP: public filing with a per-address limit, triage, substantiation."""

from __future__ import annotations

import pytest

from carbon_credit.testing import envelope, feed, registered
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.services import RunningService

REGULATOR = bearer("regulator")
COMPLAINT = {"subject_kind": "enterprise", "subject_id": "E1", "description": "夜间偷排废气，烟囱冒黑烟"}


async def file(credit: RunningService, body: dict = COMPLAINT) -> tuple[int, dict]:
    response = await credit.client.post("/v1/credit/complaints", json=body)
    return response.status_code, response.json()


class TestFileComplaint:
    async def test_public_files_without_login(self, credit: RunningService) -> None:
        await feed(credit, [envelope(registered("E1"))])
        status, body = await file(credit)
        assert (status, body["status"]) == (201, "filed")
        stored = await credit.client.get(f"/v1/credit/complaints/{body['id']}", headers=REGULATOR)
        assert stored.json()["description"] == COMPLAINT["description"]

    async def test_unknown_subject_and_empty_text_are_refused(self, credit: RunningService) -> None:
        await feed(credit, [envelope(registered("E1"))])
        assert (await file(credit, {**COMPLAINT, "subject_id": "E9"}))[0] == 422
        assert (await file(credit, {**COMPLAINT, "subject_kind": "agency"}))[0] == 422
        assert (await file(credit, {**COMPLAINT, "description": "   "}))[0] == 422


class TestComplaintRateLimit:
    @pytest.fixture(autouse=True)
    def tight_limit(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CARBON_CREDIT_COMPLAINT_LIMIT", "2")

    async def test_the_third_complaint_from_one_address_gets_429(self, credit: RunningService) -> None:
        await feed(credit, [envelope(registered("E1"))])
        assert [(await file(credit))[0] for _ in range(2)] == [201, 201]
        response = await credit.client.post("/v1/credit/complaints", json=COMPLAINT)
        assert response.status_code == 429
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == 429


class TestTriageAndConclusion:
    async def test_substantiated_complaint_rates_the_subject(self, credit: RunningService) -> None:
        await feed(credit, [envelope(registered("E1"))])
        _, filed = await file(credit)
        url = f"/v1/credit/complaints/{filed['id']}"
        accepted = await credit.client.post(f"{url}/triage", json={"decision": "accept"}, headers=REGULATOR)
        assert accepted.json()["status"] == "accepted"
        concluded = await credit.client.post(
            f"{url}/conclusion", json={"substantiated": True, "finding": "现场核实属实"}, headers=REGULATOR
        )
        assert concluded.json()["status"] == "substantiated"
        rating = (await credit.client.get("/v1/credit/enterprises/E1", headers=REGULATOR)).json()
        assert rating["level"] == "blue" and rating["history"][-1]["cause"] == "ComplaintSubstantiated"

    async def test_workflow_errors(self, credit: RunningService) -> None:
        await feed(credit, [envelope(registered("E1"))])
        _, filed = await file(credit)
        url = f"/v1/credit/complaints/{filed['id']}"
        public = await credit.client.post(f"{url}/triage", json={"decision": "accept"})
        enterprise = await credit.client.post(
            f"{url}/triage", json={"decision": "accept"}, headers=bearer("enterprise", enterprise_id="E1")
        )
        too_early = await credit.client.post(
            f"{url}/conclusion", json={"substantiated": True, "finding": "x"}, headers=REGULATOR
        )
        no_reason = await credit.client.post(f"{url}/triage", json={"decision": "reject"}, headers=REGULATOR)
        rejected = await credit.client.post(
            f"{url}/triage", json={"decision": "reject", "reason": "不属于本局管辖"}, headers=REGULATOR
        )
        twice = await credit.client.post(f"{url}/triage", json={"decision": "accept"}, headers=REGULATOR)
        unknown = await credit.client.post(
            "/v1/credit/complaints/nope/triage", json={"decision": "accept"}, headers=REGULATOR
        )
        codes = [r.status_code for r in (public, enterprise, too_early, no_reason, rejected, twice, unknown)]
        assert codes == [401, 403, 409, 422, 200, 409, 404]
