"""The chunked deadline check: one transaction per chunk, and a crash mid-way resumes without repeats."""

from __future__ import annotations

import datetime as dt

import pytest

from carbon_allowance.db import records
from carbon_allowance.service import deadlines
from carbon_allowance.service.deadlines import run_deadline_check

AS_OF = dt.date(2026, 1, 1)


async def _five_open_obligations(harness) -> list[str]:
    ids = [f"ent-chunk-{i}" for i in range(5)]
    for enterprise_id in ids:
        await harness.register(enterprise_id)
        await harness.verify(enterprise_id, 2024, "10")
    return ids


class TestChunkedDeadlineCheck:
    async def test_small_chunks_mark_every_obligation_once(self, harness):
        ids = await _five_open_obligations(harness)
        runtime = harness.service.app.state.runtime
        result = await run_deadline_check(runtime.uow(), as_of=AS_OF, year=2024, chunk_size=2)
        again = await run_deadline_check(runtime.uow(), as_of=AS_OF, year=2024, chunk_size=2)
        assert (result.marked_overdue, result.shortfall_units, again.marked_overdue) == (5, 50, 0)
        events = await harness.events("SurrenderOverdue")
        assert sorted(e["enterprise_id"] for e in events) == ids

    async def test_a_crash_in_the_second_chunk_keeps_the_first_and_the_rerun_finishes(
        self, harness, monkeypatch
    ):
        ids = await _five_open_obligations(harness)
        runtime = harness.service.app.state.runtime
        calls = 0
        real_add = records.add_deductions

        async def crash_on_second_chunk(session, rows):
            nonlocal calls
            calls += 1
            if calls == 2:
                raise RuntimeError("process killed")
            await real_add(session, rows)

        monkeypatch.setattr(deadlines.records, "add_deductions", crash_on_second_chunk)
        with pytest.raises(RuntimeError):
            await run_deadline_check(runtime.uow(), as_of=AS_OF, year=2024, chunk_size=2)
        first_chunk = await harness.events("SurrenderOverdue")
        assert [e["enterprise_id"] for e in first_chunk] == ids[:2]  # committed; chunk 2 rolled back
        monkeypatch.setattr(deadlines.records, "add_deductions", real_add)
        rerun = await run_deadline_check(runtime.uow(), as_of=AS_OF, year=2024, chunk_size=2)
        assert rerun.marked_overdue == 3
        events = await harness.events("SurrenderOverdue")
        assert [e["enterprise_id"] for e in events] == ids  # each once, in key order
