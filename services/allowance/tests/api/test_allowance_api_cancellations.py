"""Voluntary cancellation (自愿注销) through the API: units leave the balance for good, with its 4xx cases."""

from __future__ import annotations

from carbon_shared.testing.apps import bearer

REGULATOR = bearer("regulator")


def enterprise_token(enterprise_id):
    return bearer("enterprise", enterprise_id=enterprise_id)


async def _post(harness, body, headers=None):
    return await harness.client.post("/v1/cancellations", json=body, headers=headers)


def _cancel(enterprise_id, amount, **instrument):
    body = {"enterprise_id": enterprise_id, "instrument": "allowance", "vintage": 2024}
    return body | instrument | {"amount": amount, "reason": "碳中和活动自愿注销"}


class TestVoluntaryCancellation:
    async def test_cancelled_units_leave_the_balance_and_the_entry_says_why(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2024, 100)
        await harness.deposit_ccer(enterprise_id, 20)
        own = enterprise_token(enterprise_id)
        response = await harness.client.post(
            "/v1/cancellations", json=_cancel(enterprise_id, 30), headers=own
        )
        assert response.status_code == 201, response.text
        assert (response.json()["instrument"], response.json()["amount"]) == ("CEA-2024", 30)
        account = await harness.account(enterprise_id)
        assert (account["allowance_balance"], account["ccer_balance"]) == (70, 20)
        entries = await harness.client.get(f"/v1/accounts/{enterprise_id}/entries", headers=REGULATOR)
        [entry] = [e for e in entries.json()["items"] if e["kind"] == "cancellation"]
        assert entry["entry_id"] == response.json()["cancellation_id"]
        assert "碳中和活动自愿注销" in entry["reason"] and entry["actor"].startswith("enterprise:")
        [event] = await harness.events("AllowanceCancelled")
        assert (event["instrument"], event["amount"], event["reason"]) == (
            "CEA-2024",
            30,
            "碳中和活动自愿注销",
        )

    async def test_more_than_available_is_409_and_moves_nothing(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2024, 10)
        own = enterprise_token(enterprise_id)
        response = await harness.client.post(
            "/v1/cancellations", json=_cancel(enterprise_id, 11), headers=own
        )
        assert response.status_code == 409
        assert response.headers["content-type"].startswith("application/problem+json")
        ccer = _cancel(enterprise_id, 1, instrument="ccer", vintage=None, project_ref="CCER-X")
        assert (await _post(harness, ccer, own)).status_code == 409
        assert (await harness.account(enterprise_id))["allowance_balance"] == 10

    async def test_bad_bodies_are_422(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        own = enterprise_token(enterprise_id)
        for body in (
            _cancel(enterprise_id, 0),
            _cancel(enterprise_id, 5, instrument="ccer"),  # a CCER names its project, not a vintage
            _cancel(enterprise_id, 5) | {"reason": ""},
        ):
            response = await _post(harness, body, own)
            assert response.status_code == 422, body

    async def test_who_may_cancel(self, harness, enterprise_id):
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2024, 10)
        body = _cancel(enterprise_id, 1)
        assert (await _post(harness, body)).status_code == 401
        assert (await _post(harness, body, headers=REGULATOR)).status_code == 403
        other = enterprise_token("ent-someone-else")
        assert (await _post(harness, body, other)).status_code == 404
        unknown = _cancel("ent-unknown", 1)
        mine = enterprise_token("ent-unknown")
        assert (await _post(harness, unknown, mine)).status_code == 404
        assert (await harness.account(enterprise_id))["allowance_balance"] == 10
