"""Pledges and judicial freezes: frozen units cannot move until released."""

from __future__ import annotations

from carbon_shared.testing.apps import bearer

REGULATOR = bearer("regulator")


async def _funded(harness, enterprise_id, units=100):
    await harness.register(enterprise_id)
    await harness.allocate(enterprise_id, 2024, units)


class TestPledge:
    async def test_pledge_freezes_units_and_release_returns_them(self, harness, enterprise_id):
        await _funded(harness, enterprise_id)
        body = {"enterprise_id": enterprise_id, "amount": 60, "pledgee": "宁夏银行中卫分行"}
        pledge = await harness.client.post("/v1/pledges", json=body, headers=REGULATOR)
        assert pledge.status_code == 201, pledge.text
        account = await harness.account(enterprise_id)
        assert (account["allowance_balance"], account["frozen"]) == (40, 60)
        pledge_id = pledge.json()["id"]
        release = await harness.client.post(
            f"/v1/pledges/{pledge_id}/release", json={"reason": "贷款已还清"}, headers=REGULATOR
        )
        assert release.status_code == 200 and release.json()["status"] == "released"
        account = await harness.account(enterprise_id)
        assert (account["allowance_balance"], account["frozen"]) == (100, 0)
        [pledged] = await harness.events("AllowancePledged")
        [released] = await harness.events("PledgeReleased")
        assert (
            pledged["pledgee"] == "宁夏银行中卫分行"
            and pledged["pledge_id"] == released["pledge_id"] == pledge_id
        )

    async def test_more_than_available_is_409(self, harness, enterprise_id):
        await _funded(harness, enterprise_id, 10)
        body = {"enterprise_id": enterprise_id, "amount": 11, "pledgee": "bank"}
        assert (await harness.client.post("/v1/pledges", json=body, headers=REGULATOR)).status_code == 409

    async def test_release_twice_is_409_and_unknown_is_404(self, harness, enterprise_id):
        await _funded(harness, enterprise_id)
        body = {"enterprise_id": enterprise_id, "amount": 5, "pledgee": "bank"}
        pledge_id = (await harness.client.post("/v1/pledges", json=body, headers=REGULATOR)).json()["id"]
        url = f"/v1/pledges/{pledge_id}/release"
        assert (
            await harness.client.post(url, json={"reason": "repaid"}, headers=REGULATOR)
        ).status_code == 200
        assert (
            await harness.client.post(url, json={"reason": "repaid"}, headers=REGULATOR)
        ).status_code == 409
        missing = "/v1/pledges/no-such-pledge/release"
        assert (
            await harness.client.post(missing, json={"reason": "x"}, headers=REGULATOR)
        ).status_code == 404
        lift = f"/v1/freezes/{pledge_id}/lift"  # a pledge id is not a freeze
        assert (await harness.client.post(lift, json={"reason": "x"}, headers=REGULATOR)).status_code == 404

    async def test_list_pledges_of_one_enterprise(self, harness, enterprise_id):
        await _funded(harness, enterprise_id)
        body = {"enterprise_id": enterprise_id, "amount": 5, "pledgee": "bank"}
        await harness.client.post("/v1/pledges", json=body, headers=REGULATOR)
        own = bearer("enterprise", enterprise_id=enterprise_id)
        listed = await harness.client.get("/v1/pledges", headers=own)
        assert [i["amount"] for i in listed.json()["items"]] == [5]
        other = await harness.client.get(
            f"/v1/pledges?enterprise_id={enterprise_id}", headers=bearer("enterprise", enterprise_id="x")
        )
        assert other.status_code == 404


class TestJudicialFreeze:
    async def test_frozen_units_cannot_be_sold_until_lifted(self, harness, enterprise_id):
        await _funded(harness, enterprise_id)
        body = {"enterprise_id": enterprise_id, "amount": 100, "authority": "中卫市中级人民法院"}
        freeze = await harness.client.post("/v1/freezes", json=body, headers=REGULATOR)
        assert freeze.status_code == 201
        sale = _trade(enterprise_id, "T-1", "out", 1)
        assert (await harness.client.post("/v1/transfers", json=sale, headers=REGULATOR)).status_code == 409
        lift = await harness.client.post(
            f"/v1/freezes/{freeze.json()['id']}/lift", json={"reason": "裁定解除"}, headers=REGULATOR
        )
        assert lift.status_code == 200
        assert (await harness.client.post("/v1/transfers", json=sale, headers=REGULATOR)).status_code == 201
        assert [e["authority"] for e in await harness.events("AllowanceFrozen")] == ["中卫市中级人民法院"]
        assert len(await harness.events("FreezeLifted")) == 1

    async def test_only_the_regulator_freezes(self, harness, enterprise_id):
        body = {"enterprise_id": enterprise_id, "amount": 1, "authority": "court"}
        assert (
            await harness.client.post("/v1/freezes", json=body, headers=bearer("region"))
        ).status_code == 403


def _trade(enterprise_id, ref, direction, amount, vintage=2024):
    return {
        "trade_ref": ref,
        "enterprise_id": enterprise_id,
        "direction": direction,
        "instrument": "allowance",
        "vintage": vintage,
        "amount": amount,
        "counterparty": "全国碳排放权交易市场",
        "settled_on": "2025-06-30",
    }


class TestTransfers:
    async def test_purchase_and_sale_move_the_balance(self, harness, enterprise_id):
        await _funded(harness, enterprise_id)
        bought = await harness.client.post(
            "/v1/transfers", json=_trade(enterprise_id, "T-1", "in", 50, 2023), headers=REGULATOR
        )
        sold = await harness.client.post(
            "/v1/transfers", json=_trade(enterprise_id, "T-2", "out", 30), headers=REGULATOR
        )
        assert bought.status_code == 201 and bought.json()["instrument"] == "CEA-2023"
        assert sold.status_code == 201
        account = await harness.account(enterprise_id)
        assert account["allowance_balance"] == 120
        assert {h["instrument"]: h["units"] for h in account["holdings"]} == {"CEA-2023": 50, "CEA-2024": 70}

    async def test_each_trade_emits_allowance_transferred_once(self, harness, enterprise_id):
        await _funded(harness, enterprise_id)
        bought = _trade(enterprise_id, "T-1", "in", 50, 2023)
        ccer = _trade(enterprise_id, "T-2", "in", 7) | {"instrument": "ccer", "vintage": None}
        ccer |= {"project_ref": "CCER-中卫-001"}
        for trade in (bought, ccer, bought):  # the repeated trade is refused and emits nothing
            await harness.client.post("/v1/transfers", json=trade, headers=REGULATOR)
        sold = await harness.client.post(
            "/v1/transfers", json=_trade(enterprise_id, "T-3", "out", 30), headers=REGULATOR
        )
        stored = await harness.events("AllowanceTransferred")  # the outbox: exactly one per trade
        assert [e["trade_ref"] for e in stored] == ["T-1", "T-2", "T-3"]
        # Read back from the bus (the embedded reader may hand a message over again: compare the set).
        by_ref = {e["trade_ref"]: e for e in await harness.published("AllowanceTransferred", expected=3)}
        assert set(by_ref) == {"T-1", "T-2", "T-3"}
        assert (by_ref["T-1"]["direction"], by_ref["T-1"]["vintage"], by_ref["T-1"]["amount"]) == (
            "in",
            2023,
            50,
        )
        assert (by_ref["T-2"]["instrument"], by_ref["T-2"]["project_ref"]) == ("ccer", "CCER-中卫-001")
        assert by_ref["T-3"]["transfer_id"] == sold.json()["transfer_id"]
        assert by_ref["T-3"]["counterparty"] == "全国碳排放权交易市场"
        assert by_ref["T-3"]["settled_on"] == "2025-06-30" and by_ref["T-3"]["direction"] == "out"

    async def test_duplicate_trade_and_oversale_are_409(self, harness, enterprise_id):
        await _funded(harness, enterprise_id, 10)
        trade = _trade(enterprise_id, "T-1", "in", 5)
        assert (await harness.client.post("/v1/transfers", json=trade, headers=REGULATOR)).status_code == 201
        assert (await harness.client.post("/v1/transfers", json=trade, headers=REGULATOR)).status_code == 409
        oversale = _trade(enterprise_id, "T-2", "out", 16)
        assert (
            await harness.client.post("/v1/transfers", json=oversale, headers=REGULATOR)
        ).status_code == 409

    async def test_instrument_must_name_vintage_or_project(self, harness, enterprise_id):
        await _funded(harness, enterprise_id)
        trade = _trade(enterprise_id, "T-1", "in", 5) | {"instrument": "ccer"}
        assert (await harness.client.post("/v1/transfers", json=trade, headers=REGULATOR)).status_code == 422
        trade = trade | {"vintage": None, "project_ref": "CCER-001"}
        assert (await harness.client.post("/v1/transfers", json=trade, headers=REGULATOR)).status_code == 201
