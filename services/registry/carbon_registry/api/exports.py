"""List exports as file downloads: `?format=csv` (UTF-8 with BOM, opens in Excel) or `?format=xlsx`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Literal

from fastapi import Query, Response

from carbon_registry.service.spreadsheets import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, write_csv, write_xlsx

ExportFormat = Annotated[Literal["csv", "xlsx"], Query(description="file format of the export")]

FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The list as a file",
        "content": {
            CSV_MEDIA_TYPE: {"schema": {"type": "string"}},
            XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def file_response(
    *, name: str, file_format: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Response:
    if file_format == "xlsx":
        body, media_type = write_xlsx(headers, rows, title=name), XLSX_MEDIA_TYPE
    else:
        body, media_type = write_csv(headers, rows), CSV_MEDIA_TYPE
    disposition = f'attachment; filename="{name}.{file_format}"'
    return Response(content=body, media_type=media_type, headers={"Content-Disposition": disposition})
