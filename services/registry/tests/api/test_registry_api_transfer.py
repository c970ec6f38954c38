"""Bulk import (CSV and XLSX, all-or-nothing by default, per-row report) and export of lists."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook, load_workbook

from carbon_registry.testing import emitted, enterprise_body, valid_uscc
from carbon_shared.testing.apps import bearer
from carbon_shared.testing.services import RunningService

REGULATOR = bearer("regulator")
CSV = {"content-type": "text/csv"}
HEADERS = ["序号", "统一社会信用代码", "企业名称", "行业", "所属区县", "联系人", "邮箱", "电话"]


def sheet_rows(count: int, *, bad_row_index: int | None = None) -> list[list[str]]:
    rows = []
    for i in range(count):
        uscc = valid_uscc(100 + i, "640502")
        if i == bad_row_index:
            uscc = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
        rows.append(
            [
                str(i + 1),
                uscc,
                f"沙坡头区第{i}水泥厂",
                "建材",
                "沙坡头区",
                "马丽",
                f"m{i}@example.cn",
                "0955-7012345",
            ]
        )
    return rows


def as_csv(rows: list[list[str]], *, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADERS, *rows])
    return buffer.getvalue().encode(encoding)


def as_xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in [HEADERS, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def count(registry: RunningService) -> int:
    return len(
        (await registry.client.get("/v1/enterprises", params={"limit": 500}, headers=REGULATOR)).json()[
            "items"
        ]
    )


class TestImportCsv:
    async def test_valid_file_imports_every_row_with_events(self, registry: RunningService) -> None:
        response = await registry.client.post(
            "/v1/enterprises/import", content=as_csv(sheet_rows(3)), headers=REGULATOR | CSV
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert (body["imported"], [i["row"] for i in body["items"]], body["ignored_columns"]) == (
            3,
            [2, 3, 4],
            ["序号"],
        )
        assert len(await emitted(registry, "EnterpriseRegistered")) == 3
        one = (
            await registry.client.get(f"/v1/enterprises/{body['items'][0]['id']}", headers=REGULATOR)
        ).json()
        assert (one["name"], one["sector"], one["county_code"]) == (
            "沙坡头区第0水泥厂",
            "building_materials",
            "640502",
        )

    async def test_one_bad_row_imports_nothing_and_names_the_row(self, registry: RunningService) -> None:
        data = as_csv(sheet_rows(4, bad_row_index=2))
        response = await registry.client.post("/v1/enterprises/import", content=data, headers=REGULATOR | CSV)
        assert response.status_code == 422
        problem = response.json()
        assert [e["loc"] for e in problem["errors"]] == [["row", 4, "统一社会信用代码"]]
        assert "rows 4" in problem["detail"]
        assert await count(registry) == 0 and await emitted(registry, "EnterpriseRegistered") == []

    async def test_valid_rows_mode_imports_the_rest_and_reports_the_bad_one(
        self, registry: RunningService
    ) -> None:
        data = as_csv(sheet_rows(4, bad_row_index=0))
        response = await registry.client.post(
            "/v1/enterprises/import", params={"mode": "valid_rows"}, content=data, headers=REGULATOR | CSV
        )
        assert response.status_code == 201
        assert (response.json()["imported"], response.json()["errors"][0]["loc"]) == (
            3,
            ["row", 2, "统一社会信用代码"],
        )

    async def test_gb18030_file_and_already_registered_unit(self, registry: RunningService) -> None:
        rows = sheet_rows(2)
        await registry.client.post(
            "/v1/enterprises", json=enterprise_body(1, uscc=rows[1][1]), headers=REGULATOR
        )
        response = await registry.client.post(
            "/v1/enterprises/import", content=as_csv(rows, encoding="gb18030"), headers=REGULATOR | CSV
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] == "already_registered"
        assert response.json()["errors"][0]["loc"] == ["row", 3, "统一社会信用代码"]

    async def test_only_the_regulator_imports(self, registry: RunningService) -> None:
        response = await registry.client.post(
            "/v1/enterprises/import", content=as_csv(sheet_rows(1)), headers=bearer("region") | CSV
        )
        assert response.status_code == 403


class TestImportXlsx:
    async def test_xlsx_body_and_multipart_upload(self, registry: RunningService) -> None:
        rows = sheet_rows(4)
        raw = await registry.client.post(
            "/v1/enterprises/import", content=as_xlsx(rows[:2]), headers=REGULATOR
        )
        assert (raw.status_code, raw.json()["imported"]) == (201, 2)
        upload = await registry.client.post(
            "/v1/enterprises/import", files={"file": ("名单.xlsx", as_xlsx(rows[2:]))}, headers=REGULATOR
        )
        assert (upload.status_code, upload.json()["imported"]) == (201, 2)
        assert await count(registry) == 4

    async def test_a_file_that_is_not_a_workbook_is_422(self, registry: RunningService) -> None:
        response = await registry.client.post(
            "/v1/enterprises/import", params={"format": "xlsx"}, content=b"PK not a zip", headers=REGULATOR
        )
        assert response.status_code == 422


class TestExport:
    async def test_csv_export_imports_again_elsewhere(
        self, registry: RunningService, tmp_path_factory
    ) -> None:
        await registry.client.post(
            "/v1/enterprises/import", content=as_csv(sheet_rows(3)), headers=REGULATOR | CSV
        )
        exported = await registry.client.get(
            "/v1/enterprises/export", params={"format": "csv"}, headers=REGULATOR
        )
        assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert sorted(r["name"] for r in rows) == [
            "沙坡头区第0水泥厂",
            "沙坡头区第1水泥厂",
            "沙坡头区第2水泥厂",
        ]
        assert {r["contact_phone"] for r in rows} == {"0955-7012345"}

    async def test_xlsx_export_with_filter(self, registry: RunningService) -> None:
        await registry.client.post(
            "/v1/enterprises/import", content=as_csv(sheet_rows(2)), headers=REGULATOR | CSV
        )
        await registry.client.post("/v1/enterprises", json=enterprise_body(1), headers=REGULATOR)
        exported = await registry.client.get(
            "/v1/enterprises/export", params={"format": "xlsx", "sector": "power"}, headers=REGULATOR
        )
        sheet = load_workbook(io.BytesIO(exported.content)).active
        assert sheet is not None
        values = list(sheet.iter_rows(values_only=True))
        assert values[0][:3] == ("id", "uscc", "name") and len(values) == 2
        assert values[1][2] == enterprise_body(1)["name"]

    async def test_an_enterprise_exports_only_itself(self, registry: RunningService) -> None:
        await registry.client.post(
            "/v1/enterprises/import", content=as_csv(sheet_rows(2)), headers=REGULATOR | CSV
        )
        own = (
            await registry.client.post("/v1/enterprises", json=enterprise_body(1), headers=REGULATOR)
        ).json()
        exported = await registry.client.get(
            "/v1/enterprises/export", headers=bearer("enterprise", enterprise_id=own["id"])
        )
        rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert [r["id"] for r in rows] == [own["id"]]
