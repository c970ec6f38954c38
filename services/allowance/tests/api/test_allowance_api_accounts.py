"""The account view, its ledger entries (who and why), access rules, idempotent retries, Chinese text."""

from __future__ import annotations

from carbon_shared.testing.apps import bearer

REGULATOR = bearer("regulator")


class TestAccountView:
    async def test_contract_fields(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2024, 100)
        await harness.verify(enterprise_id, 2024, "80.5")
        body = await harness.account(enterprise_id)
        assert {"enterprise_id", "allowance_balance", "ccer_balance", "frozen", "obligations"} <= body.keys()
        assert body["name"] == f"中卫{enterprise_id}发电有限公司"
        [obligation] = body["obligations"]
        assert obligation == obligation | {
            "year": 2024,
            "obligation_tco2e": 80.5,
            "surrendered_allowances": 0,
            "surrendered_ccer": 0,
            "status": "open",
            "due_date": "2025-12-31",
        }

    async def test_access(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        url = f"/v1/accounts/{enterprise_id}"
        assert (
            await harness.client.get(url, headers=bearer("enterprise", enterprise_id=enterprise_id))
        ).status_code == 200
        assert (
            await harness.client.get(url, headers=bearer("enterprise", enterprise_id="other"))
        ).status_code == 404
        assert (await harness.client.get(url, headers=bearer("verifier", agency_id="a1"))).status_code == 403
        assert (await harness.client.get(url)).status_code == 401
        assert (await harness.client.get("/v1/accounts/unknown", headers=REGULATOR)).status_code == 404


class TestLedgerEntries:
    async def test_every_entry_names_actor_and_reason_and_balances(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2024, 100)
        await harness.deposit_ccer(enterprise_id, 5, "CCER-海原-风电")
        first = await harness.client.get(f"/v1/accounts/{enterprise_id}/entries?limit=1", headers=REGULATOR)
        page = first.json()
        rest = await harness.client.get(
            f"/v1/accounts/{enterprise_id}/entries?limit=1&cursor={page['next_cursor']}", headers=REGULATOR
        )
        entries = page["items"] + rest.json()["items"]
        assert [e["kind"] for e in entries] == ["allocation", "ccer_deposit"]
        assert entries[0]["actor"] == "region:dev-region" and entries[1]["actor"] == "regulator:dev-regulator"
        assert all(e["reason"] for e in entries)
        assert entries[1]["postings"] == [
            {"account": "external", "instrument": "CCER:CCER-海原-风电", "quantity": -5},
            {
                "account": f"enterprise:{enterprise_id}:available",
                "instrument": "CCER:CCER-海原-风电",
                "quantity": 5,
            },
        ]


class TestIdempotentRetry:
    async def test_same_key_returns_the_first_response_and_changes_nothing(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        body = {"enterprise_id": enterprise_id, "year": 2024, "amount": 100, "kind": "pre"}
        headers = bearer("region") | {"Idempotency-Key": "region-batch-7"}
        first = await harness.client.post("/v1/allocations", json=body, headers=headers)
        second = await harness.client.post("/v1/allocations", json=body, headers=headers)
        assert first.status_code == second.status_code == 201
        assert first.json()["allocation_id"] == second.json()["allocation_id"]
        assert (await harness.account(enterprise_id))["allowance_balance"] == 100
        assert len(await harness.events("AllowanceAllocated")) == 1
