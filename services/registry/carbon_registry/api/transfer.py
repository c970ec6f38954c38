"""Bulk import of enterprises from CSV/XLSX and export of the enterprise list.

The import takes the file as the request body (Content-Type text/csv or the XLSX media type) or as the
`file` field of a multipart form. The export writes the import's own column names, so an exported list
can be edited in Excel and imported elsewhere.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from carbon_registry.api.enterprises import Filters
from carbon_registry.api.schemas import ImportedItem, ImportOut, RowErrorOut
from carbon_registry.db.enterprises import EnterpriseRecord
from carbon_registry.service import enterprises, importing
from carbon_registry.settings import RegistrySettings
from carbon_shared.app import UoW
from carbon_shared.auth import Caller, Principal, require_roles
from carbon_shared.errors import Unprocessable
from carbon_shared.spreadsheets import (
    CSV_MEDIA_TYPE,
    FILE_RESPONSES,
    XLSX_MEDIA_TYPE,
    ExportFormat,
    Sheet,
    file_response,
    read_csv,
    read_xlsx,
)

router = APIRouter(tags=["enterprises"])
Regulator = Annotated[Principal, require_roles("regulator")]

EXPORT_COLUMNS = (
    "id", "uscc", "name", "sector", "county_code", "status", "closed_on", "contact_name", "contact_email",
    "contact_phone", "address", "legal_representative", "industry_code",
)  # fmt: skip
_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            CSV_MEDIA_TYPE: {"schema": {"type": "string"}},
            XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
            },
        },
    }
}


async def _upload(request: Request, limit: int) -> tuple[bytes, str | None]:
    """The file bytes and a format hint (from the media type or the uploaded file's name)."""
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise Unprocessable(
                "send the spreadsheet in the `file` field",
                errors=[{"loc": ["body", "file"], "msg": "missing"}],
            )
        data, name = await upload.read(), (upload.filename or "").lower()
        hint = "xlsx" if name.endswith(".xlsx") else "csv" if name.endswith(".csv") else None
    else:
        data = await request.body()
        hint = "xlsx" if "spreadsheetml" in content_type else "csv" if "csv" in content_type else None
    if len(data) > limit:
        raise Unprocessable(
            f"the file is larger than {limit} bytes", errors=[{"loc": ["body"], "msg": "too large"}]
        )
    return data, hint


def _sheet(data: bytes, file_format: str | None, max_rows: int) -> Sheet:
    # An XLSX file is a zip archive: it starts with "PK" whatever the client called it.
    is_xlsx = file_format == "xlsx" or (file_format is None and data[:2] == b"PK")
    sheet = read_xlsx(data) if is_xlsx else read_csv(data)
    if len(sheet.rows) > max_rows:
        raise Unprocessable(
            f"{len(sheet.rows)} rows; at most {max_rows} per import",
            errors=[{"loc": ["body"], "msg": "too many rows"}],
        )
    return sheet


@router.post("/v1/enterprises/import", status_code=201, response_model=ImportOut, openapi_extra=_UPLOAD_BODY)
async def import_enterprises(
    request: Request,
    uow: UoW,
    who: Regulator,
    file_format: Annotated[Literal["csv", "xlsx"] | None, Query(alias="format")] = None,
    mode: Annotated[Literal["all_or_nothing", "valid_rows"], Query()] = "all_or_nothing",
) -> ImportOut:
    """Import enterprises from a CSV or XLSX sheet (headers in English or Chinese, e.g. 统一社会信用代码,
    企业名称, 行业, 所属区县). By default a single bad row imports nothing: 422 whose `errors` name each row
    (`loc: ["row", <spreadsheet row>, <column>]`). `mode=valid_rows` imports the good rows, lists the rest."""
    settings: RegistrySettings = request.app.state.settings
    data, hint = await _upload(request, settings.import_max_bytes)
    sheet = _sheet(data, file_format or hint, settings.import_max_rows)
    async with uow:
        outcome = await importing.import_enterprises(
            uow, sheet=sheet, all_or_nothing=mode == "all_or_nothing", actor=who,
            max_errors=settings.import_max_reported_errors,
        )  # fmt: skip
        await uow.commit()
    return ImportOut(
        imported=len(outcome.imported),
        items=[
            ImportedItem(row=row, id=r.enterprise_id, uscc=r.snapshot.uscc) for row, r in outcome.imported
        ],
        errors=[
            RowErrorOut(loc=["row", e.row, e.column or ""], msg=e.message, type=e.code)
            for e in outcome.errors
        ],
        ignored_columns=list(outcome.ignored_columns),
    )


def _export_row(record: EnterpriseRecord) -> list[Any]:
    s = record.snapshot
    first = s.contacts[0] if s.contacts else None
    return [
        record.enterprise_id, s.uscc, s.name, s.sector, s.county_code, s.status.value, s.closed_on,
        first.name if first else None, first.email if first else None, first.phone if first else None,
        s.address, s.legal_representative, s.industry_code,
    ]  # fmt: skip


@router.get("/v1/enterprises/export", response_class=Response, responses=FILE_RESPONSES)
async def export_enterprises(
    request: Request,
    uow: UoW,
    who: Caller,
    where: Filters,
    file_format: Annotated[ExportFormat, Query(alias="format")] = "csv",
) -> Response:
    """The filtered enterprise list as CSV or XLSX (an enterprise exports only its own record)."""
    settings: RegistrySettings = request.app.state.settings
    async with uow:
        rows = await enterprises.list_enterprises(
            uow, where=where, caller=who, after=None, limit=settings.export_max_rows
        )
    if len(rows) > settings.export_max_rows:
        raise Unprocessable(
            f"more than {settings.export_max_rows} enterprises match; narrow the filter",
            errors=[{"loc": ["query"], "msg": "too many rows"}],
        )
    return file_response(
        name="enterprises",
        file_format=file_format,
        headers=EXPORT_COLUMNS,
        rows=(_export_row(r) for r in rows),
    )
