"""Monthly ledgers, the deadline check, disclosure and export (SQLite + embedded bus)."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from carbon_shared.testing.apps import bearer

REGULATOR = bearer("regulator")
REGION = bearer("region")
OPS = bearer("ops")


def enterprise_token(enterprise_id: str) -> dict[str, str]:
    return bearer("enterprise", enterprise_id=enterprise_id)


def _ledger(enterprise_id: str, month: int, emissions: float = 100, year: int = 2024) -> dict[str, Any]:
    return {"enterprise_id": enterprise_id, "year": year, "month": month, "emissions_tco2e": emissions}


async def _verified(reporting: Any, enterprise_id: str, emissions: float) -> dict[str, Any]:
    await reporting.register(enterprise_id, name=f"中卫{enterprise_id}热电有限公司")
    report = await reporting.draft(enterprise_id)
    await reporting.post(f"/v1/reports/{report['id']}/submit", enterprise_token(enterprise_id))
    body = {"verified_emissions_tco2e": emissions, "conclusion": "accepted", "opinion": "ok"}
    response = await reporting.post(f"/v1/reports/{report['id']}/verification", REGION, body)
    assert response.status_code == 200, response.text
    return response.json()


class TestFileLedger:
    async def test_filed_once_and_a_second_filing_is_409(self, reporting: Any) -> None:
        await reporting.register("E1")
        first = await reporting.post(
            "/v1/ledgers", enterprise_token("E1"), {**_ledger("E1", 1), "note": "1月台账"}
        )
        assert first.status_code == 201, first.text
        assert (first.json()["emissions_tco2e"], first.json()["note"]) == (100, "1月台账")
        again = await reporting.post("/v1/ledgers", enterprise_token("E1"), _ledger("E1", 1, 5))
        assert again.status_code == 409

    async def test_bad_month_future_month_and_other_enterprise(self, reporting: Any) -> None:
        await reporting.register("E1")
        assert (await reporting.post("/v1/ledgers", REGULATOR, _ledger("E1", 13))).status_code == 422
        future = await reporting.post("/v1/ledgers", REGULATOR, _ledger("E1", 1, year=2999))
        assert future.status_code == 422
        assert (
            await reporting.post("/v1/ledgers", enterprise_token("E2"), _ledger("E1", 2))
        ).status_code == 403
        assert (await reporting.post("/v1/ledgers", REGULATOR, _ledger("E1", 2, -1))).status_code == 422

    async def test_listing_pages_and_enterprises_see_only_their_own(self, reporting: Any) -> None:
        for enterprise_id in ("E1", "E2"):
            await reporting.register(enterprise_id)
            for month in (1, 2):
                await reporting.post("/v1/ledgers", REGULATOR, _ledger(enterprise_id, month))
        page = (await reporting.client.get("/v1/ledgers?limit=3", headers=REGULATOR)).json()
        rest = (
            await reporting.client.get(f"/v1/ledgers?cursor={page['next_cursor']}", headers=REGULATOR)
        ).json()
        keys = [(x["enterprise_id"], x["month"]) for x in page["items"] + rest["items"]]
        assert keys == [("E1", 1), ("E1", 2), ("E2", 1), ("E2", 2)]
        own = (await reporting.client.get("/v1/ledgers", headers=enterprise_token("E2"))).json()
        assert {x["enterprise_id"] for x in own["items"]} == {"E2"}


class TestDeadlineCheck:
    async def test_overdue_report_and_ledgers_are_emitted_once(self, reporting: Any) -> None:
        await reporting.register("E1")
        await reporting.list_emitter("E1", 2024)
        for month in range(1, 12):
            await reporting.post("/v1/ledgers", REGULATOR, _ledger("E1", month))
        # 2024-12 ledger due 9 Feb 2025; the report due 31 Mar 2025: both overdue on 1 Apr 2025.
        first = await reporting.post("/v1/deadlines/check", OPS, {"as_of": "2025-04-01"})
        assert first.status_code == 200, first.text
        emitted = [(item["kind"], item["month"], item["due_date"]) for item in first.json()["emitted"]]
        assert sorted(emitted, key=str) == sorted(
            [("ledger", 12, "2025-02-09"), ("report", None, "2025-03-31")], key=str
        )
        second = await reporting.post("/v1/deadlines/check", REGULATOR, {"as_of": "2025-04-02"})
        assert (second.json()["overdue_count"], second.json()["emitted"]) == (2, [])
        assert [e["due_date"] for e in await reporting.emitted("ReportOverdue")] == ["2025-03-31"]
        assert [(e["year"], e["month"]) for e in await reporting.emitted("LedgerOverdue")] == [(2024, 12)]

    async def test_not_overdue_on_the_due_date_itself(self, reporting: Any) -> None:
        await reporting.register("E1")
        await reporting.list_emitter("E1", 2024)
        for month in range(1, 12):
            await reporting.post("/v1/ledgers", REGULATOR, _ledger("E1", month))
        on_due_date = await reporting.post("/v1/deadlines/check", OPS, {"as_of": "2025-02-09"})
        assert on_due_date.json()["emitted"] == []  # December's ledger is due 9 Feb 2025
        day_after = await reporting.post("/v1/deadlines/check", OPS, {"as_of": "2025-02-10"})
        assert [(item["kind"], item["month"]) for item in day_after.json()["emitted"]] == [("ledger", 12)]

    async def test_a_submitted_report_is_not_overdue_and_enterprises_may_not_run_it(
        self, reporting: Any
    ) -> None:
        await reporting.register("E1")
        await reporting.list_emitter("E1", 2024)
        report = await reporting.draft("E1")
        await reporting.post(f"/v1/reports/{report['id']}/submit", enterprise_token("E1"))
        result = await reporting.post("/v1/deadlines/check", OPS, {"as_of": "2025-04-01"})
        assert {item["kind"] for item in result.json()["emitted"]} == {"ledger"}
        assert (await reporting.post("/v1/deadlines/check", enterprise_token("E1"), {})).status_code == 403


class TestDisclosure:
    async def test_public_sees_verified_emissions_per_enterprise_in_chinese(self, reporting: Any) -> None:
        await _verified(reporting, "E1", 199000)
        await reporting.register("E2")
        await reporting.draft("E2")  # not verified: not disclosed
        response = await reporting.client.get("/v1/disclosures?year=2024")
        assert response.status_code == 200
        [item] = response.json()["items"]
        assert (item["enterprise_name"], item["verified_emissions_tco2e"], item["revision"]) == (
            "中卫E1热电有限公司",
            199000,
            1,
        )
        assert item["facilities"] == [
            {"name": "main", "reported_emissions_tco2e": 199650, "fuels": ["bituminous_coal"]}
        ]
        assert "activity" not in item
        assert (await reporting.client.get("/v1/disclosures")).status_code == 422


class TestExport:
    async def test_csv_and_xlsx_hold_every_report_of_the_year(self, reporting: Any) -> None:
        await _verified(reporting, "E1", 199000)
        csv_response = await reporting.client.get("/v1/exports/reports?year=2024&format=csv", headers=REGION)
        assert csv_response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
        assert [(r["enterprise_name"], r["status"], r["verified_emissions_tco2e"]) for r in rows] == [
            ("中卫E1热电有限公司", "verified", "199000")
        ]
        xlsx = await reporting.client.get("/v1/exports/reports?year=2024&format=xlsx", headers=REGULATOR)
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert values[0][0] == "report_id" and values[1][2] == "中卫E1热电有限公司"
        assert (
            await reporting.client.get("/v1/exports/reports?year=2024", headers=enterprise_token("E1"))
        ).status_code == 403
