"""Small pure helpers: decimals read back from PostgreSQL, problem locations, spreadsheet cells."""

from __future__ import annotations

from decimal import Decimal

import pytest

from carbon_registry.api.errors import field_loc
from carbon_registry.db.decimals import plain
from carbon_shared.errors import Unprocessable
from carbon_shared.spreadsheets import read_csv, write_csv


class TestPlainDecimal:
    @pytest.mark.parametrize(
        ("stored", "shown"), [("3E+4", "30000"), ("25999.9", "25999.9"), ("0", "0"), ("1.5E+2", "150")]
    )
    def test_no_exponent_survives(self, stored: str, shown: str) -> None:
        assert str(plain(Decimal(stored))) == shown
        assert plain(Decimal(stored)) == Decimal(stored)


class TestFieldLoc:
    def test_indexed_fields_become_separate_parts(self) -> None:
        assert field_loc("contacts[2]") == ["body", "contacts", 2]
        assert field_loc("uscc") == ["body", "uscc"]


class TestCsv:
    def test_written_csv_reads_back_with_chinese_text(self) -> None:
        data = write_csv(["企业名称", "uscc"], [["中卫市某公司", None]])
        sheet = read_csv(data)
        assert sheet.headers == ["企业名称", "uscc"]
        assert sheet.rows == [{"企业名称": "中卫市某公司", "uscc": ""}]

    def test_gb18030_is_understood_and_garbage_refused(self) -> None:
        assert read_csv("企业名称\n某公司\n".encode("gb18030")).rows == [{"企业名称": "某公司"}]
        with pytest.raises(Unprocessable):
            read_csv(b"\n\n")
