"""Validation of enterprise rows from a regulator's spreadsheet (CSV or XLSX, parsed by the caller).

Input is the header row and the data rows as {header: cell text}. Headers may be English canonical names
or their Chinese aliases (统一社会信用代码, 企业名称, ...), matched ignoring case, surrounding whitespace
and a trailing required-marker "*". Each data row becomes an enterprise draft or a list of errors naming
the spreadsheet row number, the column as written in the file, and the reason. Blank rows are skipped
but still counted, so row numbers match what the regulator sees. A USCC repeated in the file is an error
on every occurrence after the first; one already registered is an error too. Whether a file with errors
imports nothing (the default) or its valid rows is the caller's policy.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from carbon_registry.domain.catalog import County, Sector
from carbon_registry.domain.enterprise import (
    ContactInput,
    EnterpriseDraft,
    EnterpriseInput,
    EnterpriseRules,
    check_enterprise,
)
from carbon_registry.domain.errors import EnterpriseInvalid, FieldIssue, RegistryError

COLUMN_ALIASES: Mapping[str, tuple[str, ...]] = {
    "uscc": ("uscc", "统一社会信用代码", "社会信用代码", "信用代码"),
    "name": ("name", "企业名称", "单位名称"),
    "sector": ("sector", "行业", "所属行业"),
    "county_code": ("county_code", "county", "所属区县", "区县", "所属县区", "县区"),
    "contact_name": ("contact_name", "联系人"),
    "contact_email": ("contact_email", "email", "邮箱", "电子邮箱"),
    "contact_phone": ("contact_phone", "phone", "电话", "联系电话", "手机"),
    "address": ("address", "地址", "注册地址"),
    "legal_representative": ("legal_representative", "法定代表人", "法人代表"),
    "industry_code": ("industry_code", "行业代码", "国民经济行业代码"),
}
REQUIRED_COLUMNS = ("uscc", "name", "sector", "county_code")
# Which column a contact problem points at, by the error's machine code.
_CONTACT_COLUMN_BY_CODE = {"invalid_email": "contact_email", "invalid_phone": "contact_phone"}


@dataclass(frozen=True)
class RowError:
    """One problem in the file; `row` is the spreadsheet row (the header is row first_data_row - 1)."""

    row: int
    column: str | None
    code: str
    message: str


@dataclass(frozen=True)
class ImportedRow:
    row: int
    draft: EnterpriseDraft


@dataclass(frozen=True)
class ImportReport:
    drafts: tuple[ImportedRow, ...]
    errors: tuple[RowError, ...]
    ignored_columns: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def _header_key(header: str) -> str:
    return header.replace("\u3000", " ").strip().rstrip("*").strip().lower()


_CANONICAL_BY_ALIAS = {
    _header_key(alias): column for column, aliases in COLUMN_ALIASES.items() for alias in aliases
}


@dataclass(frozen=True)
class ColumnMap:
    """Canonical column -> header text as written in the file."""

    headers: Mapping[str, str]
    ignored: tuple[str, ...]
    errors: tuple[RowError, ...]


def map_columns(*, headers: Sequence[str], header_row: int) -> ColumnMap:
    """Recognise the file's headers; missing required or repeated columns are errors on the header row."""
    found: dict[str, str] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    for header in headers:
        canonical = _CANONICAL_BY_ALIAS.get(_header_key(header))
        if canonical is None:
            if header.strip():
                ignored.append(header)
        elif canonical in found:
            errors.append(
                RowError(
                    header_row, header, "duplicate_column", f"{header!r} repeats column {found[canonical]!r}"
                )
            )
        else:
            found[canonical] = header
    for column in REQUIRED_COLUMNS:
        if column not in found:
            names = " / ".join(COLUMN_ALIASES[column])
            errors.append(RowError(header_row, None, "missing_column", f"required column missing: {names}"))
    return ColumnMap(headers=found, ignored=tuple(ignored), errors=tuple(errors))


def _cell(row: Mapping[str, str | None], columns: ColumnMap, column: str) -> str:
    header = columns.headers.get(column)
    value = row.get(header) if header is not None else None
    return (value or "").strip()


def _resolved(text: str, resolve: Callable[[str], County | Sector]) -> str:
    """The code for a county or sector given by code or Chinese name; unknown text is passed through."""
    try:
        return resolve(text).code
    except RegistryError:
        return text


def _candidate(row: Mapping[str, str | None], columns: ColumnMap, rules: EnterpriseRules) -> EnterpriseInput:
    contact = ContactInput(
        name=_cell(row, columns, "contact_name"),
        email=_cell(row, columns, "contact_email") or None,
        phone=_cell(row, columns, "contact_phone") or None,
    )
    has_contact = any((contact.name, contact.email, contact.phone))
    return EnterpriseInput(
        uscc=_cell(row, columns, "uscc"),
        name=_cell(row, columns, "name"),
        sector=_resolved(_cell(row, columns, "sector"), rules.sectors.resolve),
        county_code=_resolved(_cell(row, columns, "county_code"), rules.counties.resolve),
        contacts=(contact,) if has_contact else (),
        address=_cell(row, columns, "address") or None,
        legal_representative=_cell(row, columns, "legal_representative") or None,
        industry_code=_cell(row, columns, "industry_code") or None,
    )


def _issue_column(issue: FieldIssue, columns: ColumnMap) -> str | None:
    canonical = issue.field
    if issue.field.startswith("contacts["):
        canonical = _CONTACT_COLUMN_BY_CODE.get(issue.code, "contact_name")
    return columns.headers.get(canonical, canonical)


def _check_row(
    number: int, row: Mapping[str, str | None], columns: ColumnMap, rules: EnterpriseRules
) -> ImportedRow | tuple[RowError, ...]:
    try:
        return ImportedRow(
            row=number, draft=check_enterprise(candidate=_candidate(row, columns, rules), rules=rules)
        )
    except EnterpriseInvalid as invalid:
        return tuple(RowError(number, _issue_column(i, columns), i.code, i.message) for i in invalid.issues)


def _uniqueness_error(
    imported: ImportedRow,
    columns: ColumnMap,
    first_seen: Mapping[str, int],
    already_registered: Collection[str],
) -> RowError | None:
    uscc, column = imported.draft.uscc, columns.headers["uscc"]
    if uscc in first_seen:
        return RowError(imported.row, column, "duplicate_uscc", f"USCC {uscc} repeats row {first_seen[uscc]}")
    if uscc in already_registered:
        return RowError(imported.row, column, "already_registered", f"USCC {uscc} is already registered")
    return None


def validate_import_rows(
    *,
    headers: Sequence[str],
    rows: Sequence[Mapping[str, str | None]],
    rules: EnterpriseRules,
    already_registered: Collection[str] = frozenset(),
    first_data_row: int = 2,
) -> ImportReport:
    """Check every row; see the module docstring for numbering, aliases and duplicate handling."""
    columns = map_columns(headers=headers, header_row=first_data_row - 1)
    if columns.errors:
        return ImportReport(drafts=(), errors=columns.errors, ignored_columns=columns.ignored)
    drafts: list[ImportedRow] = []
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=first_data_row):
        if not any((value or "").strip() for value in row.values()):
            continue
        checked = _check_row(number, row, columns, rules)
        if isinstance(checked, tuple):
            errors.extend(checked)
            continue
        duplicate = _uniqueness_error(checked, columns, first_seen, already_registered)
        first_seen.setdefault(checked.draft.uscc, number)
        if duplicate is not None:
            errors.append(duplicate)
        else:
            drafts.append(checked)
    return ImportReport(drafts=tuple(drafts), errors=tuple(errors), ignored_columns=columns.ignored)
