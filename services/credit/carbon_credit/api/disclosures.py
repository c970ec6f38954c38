"""(public) The subjects rated yellow (警示) or red (不良), as a page or as a CSV / XLSX export."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from carbon_credit.api.paging import ranked_cursor
from carbon_credit.api.schemas import DisclosedOut
from carbon_credit.domain.rules import Level, SubjectKind
from carbon_credit.service import queries
from carbon_shared.app import UoW
from carbon_shared.pagination import Cursor, Limit, Page, page_of
from carbon_shared.spreadsheets import FILE_RESPONSES, ExportFormat, file_response

router = APIRouter(tags=["public disclosure"])

LevelFilter = Annotated[Literal["yellow", "red"] | None, Query(description="default both")]
KindFilter = Annotated[Literal["enterprise", "agency"] | None, Query()]
COLUMNS = ("subject_id", "subject_kind", "name", "level", "level_zh", "points", "level_since")


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


@router.get("/v1/credit/disclosures/export", response_class=Response, responses=FILE_RESPONSES)
async def export_disclosed(uow: UoW, format: ExportFormat = "csv", level: LevelFilter = None) -> Response:
    """(public) The whole list as a file: CSV (UTF-8 with BOM, opens in Excel) or XLSX."""
    async with uow:
        rows = [
            _public(row)
            for row in await queries.disclosed(uow, level=level, kind=None, after=None, limit=None)
        ]
    return file_response(
        name="credit-disclosure",
        file_format=format,
        headers=COLUMNS,
        rows=([row[key] for key in COLUMNS] for row in rows),
    )


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **{key: row[key] for key in COLUMNS if key != "level_zh"},
        "level_zh": Level(row["level"]).label_zh,
    }
