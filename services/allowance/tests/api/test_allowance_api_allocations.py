"""Allocations (pre, final true-up), the calculator and CCER deposits via the API (SQLite + embedded bus)."""

from __future__ import annotations

from carbon_shared.testing.apps import bearer

REGULATOR = bearer("regulator")
REGION = bearer("region")


class TestIssueAllocation:
    async def test_pre_then_final_trues_up_the_difference(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        pre = await harness.allocate(enterprise_id, 2024, 700, "pre")
        final = await harness.allocate(enterprise_id, 2024, 1000, "final")
        assert pre.status_code == 201 and final.status_code == 201, final.text
        assert pre.json()["credited"] == 700
        assert final.json()["previously_issued"] == 700 and final.json()["credited"] == 300
        assert (await harness.account(enterprise_id))["allowance_balance"] == 1000
        events = await harness.events("AllowanceAllocated")
        assert [(e["kind"], e["amount"], e["credited"]) for e in events] == [
            ("pre", 700, 700),
            ("final", 1000, 300),
        ]

    async def test_final_below_pre_takes_units_back(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2024, 700, "pre")
        final = await harness.allocate(enterprise_id, 2024, 650, "final")
        assert final.status_code == 201 and final.json()["credited"] == -50
        assert (await harness.account(enterprise_id))["allowance_balance"] == 650

    async def test_second_pre_allocation_is_a_conflict(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2024, 700, "pre")
        again = await harness.allocate(enterprise_id, 2024, 800, "pre")
        assert again.status_code == 409
        assert again.headers["content-type"].startswith("application/problem+json")

    async def test_unknown_enterprise_is_404(self, harness):
        response = await harness.allocate("ent-nobody", 2024, 10)
        assert response.status_code == 404

    async def test_bad_input_is_422_with_errors(self, harness, enterprise_id):
        body = {"enterprise_id": enterprise_id, "year": 2024, "amount": -1, "kind": "pre"}
        response = await harness.client.post("/v1/allocations", json=body, headers=REGION)
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "amount"]
        body |= {"amount": 1, "kind": "interim"}
        assert (await harness.client.post("/v1/allocations", json=body, headers=REGION)).status_code == 422

    async def test_auth_401_and_403(self, harness, enterprise_id):
        body = {"enterprise_id": enterprise_id, "year": 2024, "amount": 1, "kind": "pre"}
        assert (await harness.client.post("/v1/allocations", json=body)).status_code == 401
        enterprise = bearer("enterprise", enterprise_id=enterprise_id)
        assert (
            await harness.client.post("/v1/allocations", json=body, headers=enterprise)
        ).status_code == 403

    async def test_list_is_paginated(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        for year in (2023, 2024, 2025):
            await harness.allocate(enterprise_id, year, 100)
        first = await harness.client.get(
            f"/v1/allocations?enterprise_id={enterprise_id}&limit=2", headers=REGULATOR
        )
        body = first.json()
        assert len(body["items"]) == 2 and body["next_cursor"]
        rest = await harness.client.get(
            f"/v1/allocations?enterprise_id={enterprise_id}&limit=2&cursor={body['next_cursor']}",
            headers=REGULATOR,
        )
        years = [i["year"] for i in body["items"] + rest.json()["items"]]
        assert sorted(years) == [2023, 2024, 2025] and rest.json()["next_cursor"] is None


class TestCalculateAllocation:
    async def test_coal_unit_with_floor_and_pre_allocation(self, harness):
        # I, 2024: 1,000,000 MWh x 0.7910 = 791,000 t; 80% of 1,100,000 verified = 880,000 -> top-up 89,000
        body = {
            "year": 2024,
            "category": "I",
            "electricity_generated_mwh": 1000000,
            "heat_supplied_gj": 0,
            "verified_emissions_tco2e": 1100000,
            "previous_year_verified_tco2e": 900000.7,
        }
        response = await harness.client.post("/v1/allocations/calculate", json=body, headers=REGULATOR)
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["benchmark_allocation"] == 791000
        assert result["top_up"] == 89000 and result["final_allocation"] == 880000
        assert result["pre_allocation"] == 630000  # floor(0.7 x 900,000.7)
        assert result["breakdown"]["electricity_benchmark_tco2_per_mwh"] == 0.791
        assert result["breakdown"]["top_up_kind"] == "floor"
        assert await harness.events("AllowanceAllocated") == []  # issues nothing

    async def test_unknown_category_or_year_is_422(self, harness):
        body = {"year": 2024, "category": "V", "electricity_generated_mwh": 1, "heat_supplied_gj": 0}
        assert (
            await harness.client.post("/v1/allocations/calculate", json=body, headers=REGION)
        ).status_code == 422
        body |= {"category": "IV", "year": 2031}
        response = await harness.client.post("/v1/allocations/calculate", json=body, headers=REGION)
        assert response.status_code == 422 and "2031" in response.json()["detail"]

    async def test_only_regulator_and_region(self, harness):
        body = {"year": 2024, "category": "IV", "electricity_generated_mwh": 1, "heat_supplied_gj": 0}
        ops = bearer("ops")
        assert (
            await harness.client.post("/v1/allocations/calculate", json=body, headers=ops)
        ).status_code == 403


class TestCcerDeposit:
    async def test_deposit_credits_ccer_and_emits(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        response = await harness.deposit_ccer(enterprise_id, 40, "CCER-宁夏-光伏-001")
        assert response.status_code == 201 and response.json()["project_ref"] == "CCER-宁夏-光伏-001"
        account = await harness.account(enterprise_id)
        assert account["ccer_balance"] == 40 and account["allowance_balance"] == 0
        [event] = await harness.events("CcerDeposited")
        assert event["amount"] == 40 and event["project_ref"] == "CCER-宁夏-光伏-001"

    async def test_zero_amount_is_422_and_unknown_enterprise_404(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        assert (await harness.deposit_ccer(enterprise_id, 0)).status_code == 422
        assert (await harness.deposit_ccer("ent-unknown", 5)).status_code == 404
