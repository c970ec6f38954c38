"""Bulk import of enterprises from a regulator's spreadsheet, with a per-row error report.

All-or-nothing by default: one bad row imports nothing and the 422 names every bad row. With
`all_or_nothing=False` the valid rows are imported and the bad ones reported. The inserts, history rows and
EnterpriseRegistered events of the whole file go in one transaction, as multi-row statements.
"""

from __future__ import annotations

from dataclasses import dataclass

from carbon_registry.db import enterprises as repo
from carbon_registry.db.enterprises import EnterpriseRecord
from carbon_registry.domain.bulk_import import ImportedRow, RowError, map_columns, validate_import_rows
from carbon_registry.reference import load_reference
from carbon_registry.service.enterprises import add_enterprises
from carbon_shared.auth import Principal
from carbon_shared.db import UnitOfWork
from carbon_shared.errors import Unprocessable
from carbon_shared.spreadsheets import Sheet

FIRST_DATA_ROW = 2  # row 1 holds the headers, as a spreadsheet numbers them


@dataclass(frozen=True)
class ImportOutcome:
    imported: list[tuple[int, EnterpriseRecord]]  # (spreadsheet row, enterprise)
    errors: list[RowError]
    ignored_columns: tuple[str, ...]


def _problem(errors: list[RowError], max_rows: int) -> Unprocessable:
    rows = sorted({error.row for error in errors})
    named = ", ".join(map(str, rows[:20])) + (" ..." if len(rows) > 20 else "")
    return Unprocessable(
        f"{len(rows)} row(s) have errors, nothing was imported; rows {named}",
        errors=[row_error_json(error) for error in errors[:max_rows]],
        code="import_rejected",
    )


def row_error_json(error: RowError) -> dict[str, object]:
    return {"loc": ["row", error.row, error.column or ""], "msg": error.message, "type": error.code}


async def _split_registered(
    uow: UnitOfWork, drafts: tuple[ImportedRow, ...], uscc_column: str
) -> tuple[list[ImportedRow], list[RowError]]:
    taken = await repo.registered_usccs(uow.session, [row.draft.uscc for row in drafts])
    errors = [
        RowError(row.row, uscc_column, "already_registered", f"USCC {row.draft.uscc} is already registered")
        for row in drafts
        if row.draft.uscc in taken
    ]
    return [row for row in drafts if row.draft.uscc not in taken], errors


async def import_enterprises(
    uow: UnitOfWork, *, sheet: Sheet, all_or_nothing: bool, actor: Principal, max_errors: int
) -> ImportOutcome:
    report = validate_import_rows(
        headers=sheet.headers, rows=sheet.rows, rules=load_reference(), first_data_row=FIRST_DATA_ROW
    )
    uscc_column = map_columns(headers=sheet.headers, header_row=FIRST_DATA_ROW - 1).headers.get(
        "uscc", "uscc"
    )
    fresh, registered = await _split_registered(uow, report.drafts, uscc_column)
    errors = sorted([*report.errors, *registered], key=lambda e: e.row)
    if errors and (all_or_nothing or not fresh):
        raise _problem(errors, max_errors)
    if not fresh:
        raise Unprocessable("the file has no data rows", errors=[{"loc": ["body"], "msg": "no data rows"}])
    records = await add_enterprises(
        uow, drafts=[row.draft for row in fresh], actor=actor.sub, action="imported"
    )
    return ImportOutcome(
        imported=[(row.row, record) for row, record in zip(fresh, records, strict=True)],
        errors=errors,
        ignored_columns=report.ignored_columns,
    )
