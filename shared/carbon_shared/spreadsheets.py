"""Reading and writing the spreadsheets regulators keep: CSV (UTF-8, or GB18030 as Chinese Excel saves it)
and XLSX (first worksheet). A file that cannot be read is a 422 naming the reason, never a 500.
Exports are CSV with a byte-order mark (Excel shows Chinese correctly) or XLSX with exact decimals as text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import Query, Response
from openpyxl import Workbook, load_workbook

from carbon_shared.errors import Unprocessable

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[dict[str, str | None]]


def _unreadable(reason: str) -> Unprocessable:
    return Unprocessable(f"the file cannot be read: {reason}", errors=[{"loc": ["body"], "msg": reason}])


def _sheet(table: Iterable[Sequence[str | None]]) -> Sheet:
    lines = iter(table)
    headers = [(cell or "").strip() for cell in next(lines, [])]
    if not any(headers):
        raise _unreadable("the first row must hold the column headers")
    rows = [{header: (row[i] if i < len(row) else None) for i, header in enumerate(headers)} for row in lines]
    return Sheet(headers=headers, rows=rows)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _unreadable("text is neither UTF-8 nor GB18030") from exc


def read_csv(data: bytes) -> Sheet:
    try:
        return _sheet(csv.reader(io.StringIO(_decode(data), newline="")))
    except csv.Error as exc:
        raise _unreadable(f"malformed CSV: {exc}") from exc


def _cell_text(value: Any) -> str | None:
    """Spreadsheet cells as text; whole numbers typed as numbers (phones, codes) lose Excel's '.0'."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes) -> Sheet:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _unreadable("not an XLSX workbook") from exc
    try:
        sheet = workbook.worksheets[0]
        return _sheet([_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark so Excel shows Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(["" if v is None else _cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])  # Excel caps sheet names at 31 characters
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """Decimals as text (a float cell would round exact tonnes); UTC timestamps as ISO text (Excel has no
    time zones); everything else as given."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


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
    """A download of `rows` under `headers` as `name.csv` or `name.xlsx`."""
    if file_format == "xlsx":
        body, media_type = write_xlsx(headers, rows, title=name), XLSX_MEDIA_TYPE
    else:
        body, media_type = write_csv(headers, rows), CSV_MEDIA_TYPE
    disposition = f'attachment; filename="{name}.{file_format}"'
    return Response(content=body, media_type=media_type, headers={"Content-Disposition": disposition})
