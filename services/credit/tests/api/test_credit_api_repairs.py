"""Credit repair (信用修复) over HTTP: filing, deciding, and every 4xx the issue names."""

from __future__ import annotations

import datetime as dt

from carbon_credit.testing import envelope, feed, registered
from carbon_shared.events import Envelope, LedgerOverdue, SurrenderOverdue
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.services import RunningService

REGULATOR = bearer("regulator")
OWNER = bearer("enterprise", enterprise_id="E1")
NOW = dt.datetime.now(dt.UTC)


def overdue(enterprise_id: str, *, days_ago: int) -> Envelope:
    """A surrender overdue established `days_ago` days ago (rectification period: 6 months)."""
    event = SurrenderOverdue(
        enterprise_id=enterprise_id, year=2024, obligation_tco2e="1000", shortfall=100,
        due_date=dt.date(2025, 12, 31), average_price_cny="80", fine_min_cny="40000", fine_max_cny="80000",
        deduction_year=2026,
    )  # fmt: skip
    return envelope(event, at=NOW - dt.timedelta(days=days_ago))


async def setup(credit: RunningService) -> tuple[str, str, str]:
    """E1 with an old (repairable) and a fresh overdue, E2 with an old one."""
    old, fresh, others = overdue("E1", days_ago=200), overdue("E1", days_ago=1), overdue("E2", days_ago=200)
    await feed(credit, [envelope(registered("E1")), envelope(registered("E2")), old, fresh, others])
    return str(old.event_id), str(fresh.event_id), str(others.event_id)


async def apply(credit: RunningService, fact_id: str, headers: dict[str, str] = OWNER) -> tuple[int, dict]:
    response = await credit.client.post(
        "/v1/credit/repairs", json={"fact_id": fact_id, "statement": "已足额清缴并完成整改"}, headers=headers
    )
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
    return response.status_code, response.json()


class TestApplyForRepair:
    async def test_owner_files_a_pending_application_after_the_rectification_period(
        self, credit: RunningService
    ) -> None:
        old, _, _ = await setup(credit)
        status, body = await apply(credit, old)
        assert (status, body["status"], body["fact_id"], body["statement"]) == (
            201,
            "pending",
            old,
            "已足额清缴并完成整改",
        )

    async def test_refusals(self, credit: RunningService) -> None:
        old, fresh, others = await setup(credit)
        assert (await apply(credit, old, bearer("department", department="ndrc")))[0] == 403
        assert (await apply(credit, old, REGULATOR))[0] == 403
        assert (await apply(credit, others))[0] == 404  # another enterprise's fact
        assert (await apply(credit, "no-such-fact"))[0] == 404
        assert (await apply(credit, fresh))[0] == 422  # still inside the rectification period
        assert (await apply(credit, old))[0] == 201
        assert (await apply(credit, old))[0] == 409  # one pending application per fact

    async def test_a_positive_or_unrepairable_fact_is_refused_with_a_reason(
        self, credit: RunningService
    ) -> None:
        ledger = envelope(
            LedgerOverdue(enterprise_id="E1", year=2023, month=1, due_date=dt.date(2023, 3, 12)),
            at=NOW - dt.timedelta(days=400),
        )
        await feed(credit, [envelope(registered("E1")), ledger])
        status, body = await apply(credit, str(ledger.event_id))  # expired after 12 months: nothing to repair
        assert status == 422 and "anyway" in body["detail"]


class TestDecideRepair:
    async def test_approval_removes_the_fact_and_is_itself_history(self, credit: RunningService) -> None:
        old, fresh, _ = await setup(credit)
        before = (await credit.client.get("/v1/credit/enterprises/E1", headers=REGULATOR)).json()
        _, application = await apply(credit, old)
        decided = await credit.client.post(
            f"/v1/credit/repairs/{application['id']}/decision",
            json={"decision": "approve"},
            headers=REGULATOR,
        )
        assert decided.status_code == 200 and decided.json()["status"] == "approved"
        after = (await credit.client.get("/v1/credit/enterprises/E1", headers=REGULATOR)).json()
        assert after["points"] < before["points"]
        last = after["history"][-1]
        assert (last["cause"], last["cause_event_id"], last["fact_id"]) == (
            "CreditRepaired",
            application["id"],
            old,
        )
        again = await credit.client.post(
            f"/v1/credit/repairs/{application['id']}/decision",
            json={"decision": "approve"},
            headers=REGULATOR,
        )
        assert again.status_code == 409

    async def test_rejection_needs_a_reason_and_keeps_the_rating(self, credit: RunningService) -> None:
        old, _, _ = await setup(credit)
        _, application = await apply(credit, old)
        url = f"/v1/credit/repairs/{application['id']}/decision"
        no_reason = await credit.client.post(url, json={"decision": "reject"}, headers=REGULATOR)
        by_owner = await credit.client.post(url, json={"decision": "reject", "reason": "x"}, headers=OWNER)
        rejected = await credit.client.post(
            url, json={"decision": "reject", "reason": "整改材料不全"}, headers=REGULATOR
        )
        assert (no_reason.status_code, by_owner.status_code, rejected.status_code) == (422, 403, 200)
        assert rejected.json()["rejection_reason"] == "整改材料不全"
        history = (await credit.client.get("/v1/credit/enterprises/E1", headers=REGULATOR)).json()["history"]
        assert all(line["cause"] != "CreditRepaired" for line in history)
        unknown = await credit.client.post(
            "/v1/credit/repairs/nope/decision", json={"decision": "approve"}, headers=REGULATOR
        )
        assert unknown.status_code == 404


class TestListRepairs:
    async def test_applicant_sees_only_its_own(self, credit: RunningService) -> None:
        old, _, others = await setup(credit)
        await apply(credit, old)
        await apply(credit, others, bearer("enterprise", enterprise_id="E2"))
        mine = (await credit.client.get("/v1/credit/repairs", headers=OWNER)).json()["items"]
        everyone = (await credit.client.get("/v1/credit/repairs?status=pending", headers=REGULATOR)).json()[
            "items"
        ]
        assert [r["subject_id"] for r in mine] == ["E1"] and len(everyone) == 2
        other_id = next(r["id"] for r in everyone if r["subject_id"] == "E2")
        assert (await credit.client.get(f"/v1/credit/repairs/{other_id}", headers=OWNER)).status_code == 404
