"""Surrenders and obligations from verified reports through the API (SQLite + embedded bus)."""

from __future__ import annotations

import datetime as dt

from carbon_shared.testing.apps import bearer

# Surrender for year Y is due 31 Dec Y+1, so last year's obligation is still open today.
OPEN_YEAR = dt.date.today().year - 1


class TestObligationFromReportVerified:
    async def test_verified_report_creates_then_revision_corrects(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.verify(enterprise_id, 2024, "1000.2")
        created = await harness.obligation(enterprise_id, 2024)
        assert created["obligation_tco2e"] == 1000.2 and created["required_units"] == 1001
        assert created["status"] == "open" and created["due_date"] == "2025-12-31"
        await harness.verify(enterprise_id, 2024, "1200", revision=2)
        corrected = await harness.obligation(enterprise_id, 2024)
        assert corrected["obligation_tco2e"] == 1200 and corrected["revision"] == 2
        events = await harness.events("ObligationEstablished")
        assert [(e["revision"], e["obligation_tco2e"]) for e in events] == [(1, "1000.2"), (2, "1200")]

    async def test_older_revision_arriving_late_changes_nothing(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.verify(enterprise_id, 2024, "900", revision=2)
        await harness.verify(enterprise_id, 2024, "950", revision=1, wait=False)
        await harness.verify(
            enterprise_id, 2025, "5"
        )  # consumed after the stale one (same subject, in order)
        obligation = await harness.obligation(enterprise_id, 2024)
        assert obligation["revision"] == 2 and obligation["obligation_tco2e"] == 900

    async def test_report_before_registration_still_creates_the_obligation(self, harness, enterprise_id):
        await harness.verify(enterprise_id, 2024, "10")
        assert (await harness.obligation(enterprise_id, 2024))["required_units"] == 10


class TestSurrender:
    async def test_surrender_retires_units_and_fulfils(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        year = OPEN_YEAR
        await harness.allocate(enterprise_id, year, 1000)
        await harness.deposit_ccer(enterprise_id, 50)
        await harness.verify(enterprise_id, year, "1000")
        first = await harness.surrender(enterprise_id, year, 500, 50)
        assert first.status_code == 201, first.text
        assert first.json()["obligation"]["status"] == "open"
        second = await harness.surrender(enterprise_id, year, 450)
        assert second.json()["obligation"]["status"] == "fulfilled"
        account = await harness.account(enterprise_id)
        assert account["allowance_balance"] == 50 and account["ccer_balance"] == 0
        assert [(e["allowances"], e["ccer"]) for e in await harness.events("AllowanceSurrendered")] == [
            (500, 50),
            (450, 0),
        ]
        [fulfilled] = await harness.events("ObligationFulfilled")
        assert fulfilled["year"] == year and fulfilled["on_time"] is True
        assert [e["revision"] for e in await harness.events("ObligationEstablished")] == [1]

    async def test_surrender_after_the_due_date_fulfils_late(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2023, 30)
        await harness.verify(enterprise_id, 2023, "30")  # due 31 Dec 2024
        assert (await harness.surrender(enterprise_id, 2023, 30)).status_code == 201
        [fulfilled] = await harness.events("ObligationFulfilled")
        assert fulfilled["on_time"] is False

    async def test_ccer_beyond_five_percent_is_422(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.deposit_ccer(enterprise_id, 100)
        await harness.verify(enterprise_id, 2024, "1000")
        response = await harness.surrender(enterprise_id, 2024, 0, 51)
        assert response.status_code == 422 and response.json()["type"].endswith("ccer_cap_exceeded")
        assert (await harness.account(enterprise_id))["ccer_balance"] == 100

    async def test_short_balance_is_409(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2024, 100)
        await harness.verify(enterprise_id, 2024, "1000")
        response = await harness.surrender(enterprise_id, 2024, 101)
        assert response.status_code == 409 and response.json()["type"].endswith("insufficient_balance")
        assert (await harness.account(enterprise_id))["allowance_balance"] == 100

    async def test_pledged_units_do_not_count(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2024, 100)
        await harness.verify(enterprise_id, 2024, "1000")
        pledge = {"enterprise_id": enterprise_id, "amount": 60, "pledgee": "中卫农商银行"}
        assert (
            await harness.client.post("/v1/pledges", json=pledge, headers=bearer("regulator"))
        ).status_code == 201
        assert (await harness.surrender(enterprise_id, 2024, 41)).status_code == 409
        assert (await harness.surrender(enterprise_id, 2024, 40)).status_code == 201

    async def test_later_vintage_cannot_settle_an_earlier_year(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2025, 100)
        await harness.verify(enterprise_id, 2024, "50")
        assert (await harness.surrender(enterprise_id, 2024, 50)).status_code == 409

    async def test_no_obligation_more_than_owed_and_nothing(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2024, 100)
        assert (await harness.surrender(enterprise_id, 2024, 10)).status_code == 409
        await harness.verify(enterprise_id, 2024, "20")
        assert (await harness.surrender(enterprise_id, 2024, 21)).status_code == 422
        assert (await harness.surrender(enterprise_id, 2024, 0, 0)).status_code == 422

    async def test_only_the_enterprise_itself(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        body = {"enterprise_id": enterprise_id, "year": 2024, "allowances": 1, "ccer": 0}
        other = bearer("enterprise", enterprise_id="ent-other")
        assert (await harness.client.post("/v1/surrenders", json=body, headers=other)).status_code == 404
        regulator = bearer("regulator")
        assert (await harness.client.post("/v1/surrenders", json=body, headers=regulator)).status_code == 403
        assert (await harness.client.post("/v1/surrenders", json=body)).status_code == 401
