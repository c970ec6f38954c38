"""The public list of yellow and red subjects, and its CSV / XLSX export."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from carbon_credit.testing import envelope, feed, registered
from carbon_shared.events import FalsificationSuspected, LedgerOverdue, ReportOverdue
from carbon_shared.testing.services import RunningService


async def rated_city(credit: RunningService) -> None:
    """E1 red (falsification), E2 yellow (report + ledger late), E3 blue, E4 green."""
    due = dt.date(2025, 3, 31)
    await feed(
        credit,
        [envelope(registered(f"E{n}", name=f"企业{n}")) for n in range(1, 5)]
        + [
            envelope(
                FalsificationSuspected(
                    report_id="R1", enterprise_id="E1", year=2024, reason="篡改", flagged_by="eco"
                )
            ),
            envelope(ReportOverdue(enterprise_id="E2", year=2024, due_date=due)),
            envelope(LedgerOverdue(enterprise_id="E2", year=2025, month=1, due_date=due)),
            envelope(LedgerOverdue(enterprise_id="E3", year=2025, month=1, due_date=due)),
        ],
    )


class TestDisclosureList:
    async def test_only_yellow_and_red_red_first_paginated(self, credit: RunningService) -> None:
        await rated_city(credit)
        first = (await credit.client.get("/v1/credit/disclosures?limit=1")).json()
        second = (
            await credit.client.get(f"/v1/credit/disclosures?limit=1&cursor={first['next_cursor']}")
        ).json()
        rows = first["items"] + second["items"]
        assert [(r["subject_id"], r["level"], r["level_zh"]) for r in rows] == [
            ("E1", "red", "不良"),
            ("E2", "yellow", "警示"),
        ]
        assert second["next_cursor"] is None
        only_red = (await credit.client.get("/v1/credit/disclosures?level=red")).json()["items"]
        assert [r["subject_id"] for r in only_red] == ["E1"]


class TestDisclosureExport:
    async def test_csv_and_xlsx_hold_the_same_rows_in_chinese(self, credit: RunningService) -> None:
        await rated_city(credit)
        as_csv = await credit.client.get("/v1/credit/disclosures/export?format=csv")
        rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
        assert [(r["subject_id"], r["name"], r["level"]) for r in rows] == [
            ("E1", "企业1", "red"),
            ("E2", "企业2", "yellow"),
        ]
        as_xlsx = await credit.client.get("/v1/credit/disclosures/export?format=xlsx")
        sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
        assert sheet is not None
        values = [row[:4] for row in sheet.iter_rows(values_only=True)]
        assert values[1:] == [("E1", "enterprise", "企业1", "red"), ("E2", "enterprise", "企业2", "yellow")]
