"""The deadline check, the next allocation's deduction, compliance per year and statistics."""

from __future__ import annotations

from carbon_shared.testing.apps import bearer

REGULATOR = bearer("regulator")


class TestDeadlineCheck:
    async def test_marks_overdue_once_with_fine_range_and_deduction_year(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2024, 600)
        await harness.verify(enterprise_id, 2024, "1000.4")  # 1,001 units, due 31 Dec 2025
        await harness.surrender(enterprise_id, 2024, 600)
        before = await harness.deadline_check(2024, "2025-12-31")
        assert before.status_code == 200 and before.json()["marked_overdue"] == 0
        first = await harness.deadline_check(2024, "2026-01-01")
        again = await harness.deadline_check(2024, "2026-02-01")
        assert first.json() == {
            "year": 2024,
            "as_of": "2026-01-01",
            "marked_overdue": 1,
            "shortfall_units": 401,
        }
        assert again.json()["marked_overdue"] == 0
        [overdue] = await harness.events("SurrenderOverdue")
        # November 2025 average price 55.00 CNY/t (reference cea_prices 2025.1) x 401 x 5..10
        assert overdue["shortfall"] == 401 and overdue["average_price_cny"] == "55.00"
        assert overdue["fine_min_cny"] == "110275.00" and overdue["fine_max_cny"] == "220550.00"
        assert overdue["deduction_year"] == 2025 and overdue["due_date"] == "2025-12-31"
        assert (await harness.obligation(enterprise_id, 2024))["status"] == "overdue"

    async def test_next_allocation_deducts_the_shortfall(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.verify(enterprise_id, 2024, "100")
        await harness.deadline_check(2024, "2026-01-01")
        pre = await harness.allocate(enterprise_id, 2025, 70, "pre")
        final = await harness.allocate(enterprise_id, 2025, 500, "final")
        assert (pre.json()["credited"], pre.json()["deducted_shortfall"]) == (0, 70)
        assert (final.json()["credited"], final.json()["deducted_shortfall"]) == (400, 30)
        assert (await harness.account(enterprise_id))["allowance_balance"] == 400
        kinds = [e["kind"] for e in (await _entries(harness, enterprise_id))]
        assert kinds == ["allocation", "deduction", "true_up", "deduction"]

    async def test_fulfilled_and_not_yet_due_are_left_alone(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2024, 10)
        await harness.verify(enterprise_id, 2024, "10")
        await harness.surrender(enterprise_id, 2024, 10)
        await harness.verify(enterprise_id, 2025, "10")
        assert (await harness.deadline_check(2024, "2026-06-01")).json()["marked_overdue"] == 0
        assert (await harness.deadline_check(2025, "2026-06-01")).json()["marked_overdue"] == 0

    async def test_missing_price_is_422_and_marks_nothing(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.verify(enterprise_id, 2025, "10")  # due 31 Dec 2026: no November 2026 price yet
        response = await harness.deadline_check(2025, "2027-01-05")
        assert response.status_code == 422 and "2026-11" in response.json()["detail"]
        assert (await harness.obligation(enterprise_id, 2025))["status"] == "open"

    async def test_only_ops_and_regulator(self, harness):
        enterprise = bearer("enterprise", enterprise_id="ent-1")
        response = await harness.client.post(
            "/v1/compliance/2024/deadline-check", json={}, headers=enterprise
        )
        assert response.status_code == 403
        assert (await harness.client.post("/v1/compliance/2024/deadline-check", json={})).status_code == 401
        bad = await harness.client.post(
            "/v1/compliance/2024/deadline-check", json={"as_of": "soon"}, headers=REGULATOR
        )
        assert bad.status_code == 422


async def _entries(harness, enterprise_id):
    response = await harness.client.get(f"/v1/accounts/{enterprise_id}/entries", headers=REGULATOR)
    return response.json()["items"]


class TestCompliance:
    async def test_year_counts_rate_surplus_and_deficit(self, harness):
        for name, emissions, allocated in (
            ("ent-a", "100", 150),
            ("ent-b", "100", 100),
            ("ent-c", "100", 40),
        ):
            await harness.register(name)
            await harness.allocate(name, 2024, allocated)
            await harness.verify(name, 2024, emissions)
        await harness.surrender("ent-a", 2024, 100)
        await harness.surrender("ent-b", 2024, 100)
        await harness.deadline_check(2024, "2026-01-01")
        body = (await harness.client.get("/v1/compliance/2024", headers=REGULATOR)).json()
        assert (body["obligated"], body["fulfilled"], body["overdue"], body["open"]) == (3, 2, 1, 0)
        assert body["compliance_rate"] == 0.6667
        assert body["surplus_units"] == 50 and body["deficit_units"] == 60

    async def test_empty_year(self, harness):
        body = (await harness.client.get("/v1/compliance/2019", headers=REGULATOR)).json()
        assert body["obligated"] == 0 and body["compliance_rate"] is None
        assert (await harness.client.get("/v1/compliance/2019")).status_code == 401


class TestStatistics:
    async def test_by_sector_and_county(self, harness):
        await harness.register("ent-p", sector="power", county="640502")
        await harness.register("ent-s", sector="steel", county="640521")
        for name in ("ent-p", "ent-s"):
            await harness.allocate(name, 2024, 10)
            await harness.verify(name, 2024, "10")
        await harness.surrender("ent-p", 2024, 10)
        by_sector = await harness.client.get(
            "/v1/statistics/compliance?by=sector&year=2024", headers=REGULATOR
        )
        rates = {i["group"]: i["compliance_rate"] for i in by_sector.json()["items"]}
        assert rates == {"power": 1.0, "steel": 0.0}
        by_county = await harness.client.get("/v1/statistics/compliance?by=county&limit=1", headers=REGULATOR)
        page = by_county.json()
        assert [i["group"] for i in page["items"]] == ["640502"] and page["next_cursor"]
        rest = await harness.client.get(
            f"/v1/statistics/compliance?by=county&limit=1&cursor={page['next_cursor']}", headers=REGULATOR
        )
        assert [i["group"] for i in rest.json()["items"]] == ["640521"]
        enterprise = bearer("enterprise", enterprise_id="ent-p")
        assert (await harness.client.get("/v1/statistics/compliance", headers=enterprise)).status_code == 403
