"""Over the real PostgreSQL and Kafka: concurrent surrenders against one balance, and the event flow
from ReportVerified to the overdue deduction in the next year's allocation (issue 5, points 3 and 4)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from carbon_allowance.db import ledger, records
from carbon_allowance.service import deadlines
from carbon_allowance.service.deadlines import run_deadline_check

pytestmark = pytest.mark.integration

AS_OF = dt.date(2026, 1, 1)


async def _ledger_state(harness):
    runtime = harness.service.app.state.runtime
    async with runtime.session_factory() as session:
        return (
            await ledger.holding_amounts(session),
            await ledger.posting_sums(session),
            await ledger.unbalanced_entries(session),
        )


class TestConcurrentSurrenders:
    async def test_fifty_at_once_never_overdraw_and_the_ledger_balances(self, kafka_harness, enterprise_id):
        harness = kafka_harness
        await harness.register(enterprise_id)
        await harness.allocate(enterprise_id, 2024, 300)
        await harness.deposit_ccer(enterprise_id, 20)
        await harness.verify(enterprise_id, 2024, "10000")  # room for every request: only the balance limits
        requests = [harness.surrender(enterprise_id, 2024, 10, 1 if i % 5 == 0 else 0) for i in range(50)]
        responses = await asyncio.gather(*requests)
        codes = sorted(r.status_code for r in responses)
        assert set(codes) == {201, 409}, [r.text for r in responses if r.status_code not in (201, 409)]
        accepted = [r.json() for r in responses if r.status_code == 201]
        assert len(accepted) == 30  # 300 allowances / 10 each
        account = await harness.account(enterprise_id)
        assert account["allowance_balance"] == 0
        assert account["ccer_balance"] == 20 - sum(a["ccer"] for a in accepted) >= 0
        obligation = await harness.obligation(enterprise_id, 2024)
        assert obligation["surrendered_allowances"] == 300
        holdings, sums, unbalanced = await _ledger_state(harness)
        assert unbalanced == []
        assert holdings == sums  # the balance table always equals the sum of the postings
        assert len(await harness.events("AllowanceSurrendered")) == 30


class TestEventFlowOverKafka:
    async def test_obligation_correction_overdue_once_and_deduction(self, kafka_harness, enterprise_id):
        harness = kafka_harness
        await harness.register(enterprise_id)
        await harness.verify(enterprise_id, 2024, "500")
        assert (await harness.obligation(enterprise_id, 2024))["required_units"] == 500
        await harness.verify(enterprise_id, 2024, "650.5", revision=2)
        assert (await harness.obligation(enterprise_id, 2024))["required_units"] == 651
        await harness.allocate(enterprise_id, 2024, 600)
        assert (await harness.surrender(enterprise_id, 2024, 600)).status_code == 201
        runs = [
            await harness.deadline_check(2024, as_of) for as_of in ("2026-01-01", "2026-01-02", "2026-03-01")
        ]
        assert [r.json()["marked_overdue"] for r in runs] == [1, 0, 0]
        [overdue] = await harness.published("SurrenderOverdue", expected=1)  # read back from Kafka
        assert overdue["shortfall"] == 51 and overdue["deduction_year"] == 2025
        allocation = await harness.allocate(enterprise_id, 2025, 1000, "final")
        assert allocation.json()["deducted_shortfall"] == 51 and allocation.json()["credited"] == 949
        assert (await harness.account(enterprise_id))["allowance_balance"] == 949
        established = await harness.events("ObligationEstablished")
        assert [e["revision"] for e in established] == [1, 2]
        holdings, sums, unbalanced = await _ledger_state(harness)
        assert holdings == sums and unbalanced == []


class TestChunkedDeadlineCheckOnPostgres:
    async def test_a_crash_in_the_second_chunk_resumes_without_repeats(self, kafka_harness, monkeypatch):
        harness, runtime = kafka_harness, kafka_harness.service.app.state.runtime
        ids = [f"ent-pgchunk-{i}" for i in range(5)]
        for enterprise_id in ids:
            await harness.register(enterprise_id)
            await harness.verify(enterprise_id, 2024, "10")
        real_add, calls = records.add_deductions, []

        async def crash_on_second_chunk(session, rows):
            calls.append(len(rows))
            if len(calls) == 2:
                raise RuntimeError("process killed")
            await real_add(session, rows)

        monkeypatch.setattr(deadlines.records, "add_deductions", crash_on_second_chunk)
        with pytest.raises(RuntimeError):
            await run_deadline_check(runtime.uow(), as_of=AS_OF, year=2024, chunk_size=2)
        assert [e["enterprise_id"] for e in await harness.events("SurrenderOverdue")] == ids[:2]
        monkeypatch.setattr(deadlines.records, "add_deductions", real_add)
        rerun = await run_deadline_check(runtime.uow(), as_of=AS_OF, year=2024, chunk_size=2)
        assert rerun.marked_overdue == 3  # chunk 2 rolled back whole: its rows were still open
        assert [e["enterprise_id"] for e in await harness.events("SurrenderOverdue")] == ids
