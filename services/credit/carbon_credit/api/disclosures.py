"""(public) The subjects rated yellow (警示) or red (不良), as a page or as a CSV / XLSX export."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from openpyxl import Workbook

from carbon_credit.api.paging import ranked_cursor
from carbon_credit.api.schemas import DisclosedOut
from carbon_credit.domain.rules import Level, SubjectKind
from carbon_credit.service import queries
from carbon_shared.app import UoW
from carbon_shared.pagination import Cursor, Limit, Page, page_of

router = APIRouter(tags=["public disclosure"])

LevelFilter = Annotated[Literal["yellow", "red"] | None, Query(description="default both")]
KindFilter = Annotated[Literal["enterprise", "agency"] | None, Query()]
COLUMNS = ("subject_id", "subject_kind", "name", "level", "level_zh", "points", "level_since")
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/v1/credit/disclosures", response_model=Page[DisclosedOut])
async def disclosed_subjects(
    uow: UoW,
    level: LevelFilter = None,
    subject_kind: KindFilter = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[DisclosedOut]:
    """(public) Enterprises and agencies rated yellow or red, red first."""
    after = ranked_cursor(cursor)
    async with uow:
        rows = await queries.disclosed(
            uow, level=level, kind=SubjectKind(subject_kind) if subject_kind else None,
            after=after, limit=limit,
        )  # fmt: skip
    items = [DisclosedOut(**_public(row)) for row in rows]
    return page_of(items, limit, key=lambda item: [0 if item.level == "red" else 1, item.subject_id])


@router.get(
    "/v1/credit/disclosures/export",
    response_class=Response,
    responses={200: {"content": {MEDIA["csv"]: {}, MEDIA["xlsx"]: {}}}},
)
async def export_disclosed(
    uow: UoW, format: Annotated[Literal["csv", "xlsx"], Query()] = "csv", level: LevelFilter = None
) -> Response:
    """(public) The whole list as a file: CSV (UTF-8 with BOM, opens in Excel) or XLSX."""
    async with uow:
        rows = [
            _public(row)
            for row in await queries.disclosed(uow, level=level, kind=None, after=None, limit=None)
        ]
    body = _csv(rows) if format == "csv" else _xlsx(rows)
    disposition = f'attachment; filename="credit-disclosure.{format}"'
    return Response(body, media_type=MEDIA[format], headers={"Content-Disposition": disposition})


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **{key: row[key] for key in COLUMNS if key != "level_zh"},
        "level_zh": Level(row["level"]).label_zh,
    }


def _csv(rows: list[dict[str, Any]]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows({**row, "level_since": _iso(row["level_since"])} for row in rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def _xlsx(rows: list[dict[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "credit"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([_iso(row[key]) if key == "level_since" else row[key] for key in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _iso(value: Any) -> str:
    return value.isoformat() if value is not None else ""
