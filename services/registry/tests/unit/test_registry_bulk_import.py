"""Bulk import row validation: header aliases, per-row errors with row and column, duplicates."""

from __future__ import annotations

from carbon_registry.domain.bulk_import import RowError, map_columns, validate_import_rows
from carbon_registry.domain.uscc import complete_uscc
from carbon_registry.reference import load_reference

RULES = load_reference()
CHINESE_HEADERS = ["序号", "统一社会信用代码", "企业名称", "行业", "所属区县", "联系人", "邮箱", "电话"]
USCC_A = "91640521MA70000002"  # hand-computed in test_registry_uscc.py
USCC_B = "916405000000000006"  # hand-computed in test_registry_uscc.py


def row(
    uscc: str, name: str = "某水泥有限公司", sector: str = "建材", county: str = "中宁县", **extra: str
) -> dict:
    values = {"序号": "1", "统一社会信用代码": uscc, "企业名称": name, "行业": sector, "所属区县": county,
              "联系人": "李明", "邮箱": "li@example.cn", "电话": "0955-1234567"}  # fmt: skip
    values.update(extra)
    return values


class TestColumns:
    def test_chinese_aliases_and_unknown_columns(self) -> None:
        columns = map_columns(headers=CHINESE_HEADERS, header_row=1)
        assert columns.headers["uscc"] == "统一社会信用代码"
        assert columns.headers["contact_phone"] == "电话"
        assert columns.ignored == ("序号",)
        assert columns.errors == ()

    def test_english_headers_ignore_case_and_required_marker(self) -> None:
        columns = map_columns(headers=[" USCC* ", "Name", "sector", "County_Code"], header_row=1)
        assert columns.errors == ()
        assert columns.headers["uscc"] == " USCC* "

    def test_missing_required_column_is_reported_on_the_header_row(self) -> None:
        report = validate_import_rows(
            headers=["企业名称", "行业", "所属区县"], rows=[row(USCC_A)], rules=RULES
        )
        assert report.drafts == ()
        assert report.errors == (
            RowError(
                1,
                None,
                "missing_column",
                "required column missing: uscc / 统一社会信用代码 / 社会信用代码 / 信用代码",
            ),
        )

    def test_two_headers_for_one_column(self) -> None:
        columns = map_columns(headers=[*CHINESE_HEADERS, "联系电话"], header_row=1)
        assert columns.errors == (
            RowError(1, "联系电话", "duplicate_column", "'联系电话' repeats column '电话'"),
        )


class TestRows:
    def test_valid_rows_become_drafts_with_names_resolved_to_codes(self) -> None:
        report = validate_import_rows(headers=CHINESE_HEADERS, rows=[row(USCC_A), row(USCC_B)], rules=RULES)
        assert report.ok
        assert [(r.row, r.draft.sector, r.draft.county_code) for r in report.drafts] == [
            (2, "building_materials", "640521"),
            (3, "building_materials", "640521"),
        ]
        assert report.drafts[0].draft.contacts[0].phone == "0955-1234567"

    def test_errors_name_row_and_column_as_written(self) -> None:
        rows = [row(USCC_A), row("91640521MA70000003", sector="采矿", 邮箱="li@", 电话="12345")]
        report = validate_import_rows(headers=CHINESE_HEADERS, rows=rows, rules=RULES)
        assert not report.ok
        assert [(e.row, e.column, e.code) for e in report.errors] == [
            (3, "统一社会信用代码", "invalid_uscc"),
            (3, "行业", "unknown_sector"),
            (3, "邮箱", "invalid_email"),
        ]
        assert report.errors[0].message == "check digit should be 2, got 3"
        assert [d.row for d in report.drafts] == [2]

    def test_contact_phone_error_points_at_the_phone_column(self) -> None:
        report = validate_import_rows(headers=CHINESE_HEADERS, rows=[row(USCC_A, 电话="12345")], rules=RULES)
        assert [(e.column, e.code) for e in report.errors] == [("电话", "invalid_phone")]

    def test_duplicate_uscc_in_the_file_names_the_first_row(self) -> None:
        rows = [row(USCC_A), row(USCC_B), row(USCC_A.lower())]
        report = validate_import_rows(headers=CHINESE_HEADERS, rows=rows, rules=RULES)
        assert report.errors == (
            RowError(4, "统一社会信用代码", "duplicate_uscc", f"USCC {USCC_A} repeats row 2"),
        )

    def test_already_registered_uscc(self) -> None:
        report = validate_import_rows(
            headers=CHINESE_HEADERS, rows=[row(USCC_A)], rules=RULES, already_registered={USCC_A}
        )
        assert [(e.row, e.code) for e in report.errors] == [(2, "already_registered")]

    def test_blank_rows_are_skipped_but_counted(self) -> None:
        blank = dict.fromkeys(CHINESE_HEADERS, "  ")
        report = validate_import_rows(
            headers=CHINESE_HEADERS, rows=[blank, {"序号": None}, row(USCC_A)], rules=RULES
        )
        assert [d.row for d in report.drafts] == [4]

    def test_first_data_row_offsets_numbers(self) -> None:
        report = validate_import_rows(
            headers=CHINESE_HEADERS, rows=[row("bad")], rules=RULES, first_data_row=5
        )
        assert report.errors[0].row == 5

    def test_many_generated_rows_all_validate(self) -> None:
        size = 50
        usccs = [complete_uscc(body=f"91640502{index:09d}", standard=RULES.uscc) for index in range(size)]
        report = validate_import_rows(headers=CHINESE_HEADERS, rows=[row(u) for u in usccs], rules=RULES)
        assert report.ok and len(report.drafts) == size
