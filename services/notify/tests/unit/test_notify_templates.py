"""Message rendering in Chinese and English, and the value formatters with their rounding rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_notify.domain.errors import TemplateNotFound
from carbon_notify.domain.formatting import format_date, format_integer, format_money, format_tonnes
from carbon_notify.domain.model import EnterpriseView, EventFacts
from carbon_notify.domain.templates import render_message
from carbon_notify.reference import load_reference, load_templates

CST = dt.timedelta(hours=8)
NAME = "宁夏中卫市沙坡头热电有限公司"
VIEW = EnterpriseView("ent-1", NAME, "640502")


def facts(event_type: str, **payload: Any) -> EventFacts:
    return EventFacts("evt-1", event_type, "ent-1", dt.datetime(2025, 1, 1, 16, 30, tzinfo=dt.UTC), payload)


SURRENDER_OVERDUE = facts(
    "SurrenderOverdue",
    enterprise_id="ent-1",
    year=2024,
    obligation_tco2e="1234567.500",
    shortfall=12345,
    due_date="2025-12-31",
    average_price_cny="98.765",
    fine_min_cny="6096809.25",
    fine_max_cny="12193618.5",
    deduction_year=2026,
)


class TestRenderSurrenderOverdue:
    def test_chinese_body_is_filled_and_formatted(self) -> None:
        message = render_message(event=SURRENDER_OVERDUE, enterprise=VIEW, templates=load_templates("2023.1"))
        # obligation exact with thousands; shortfall integer; money to 0.01 half-up: 98.765 -> 98.77;
        # years stay plain text (2024, not 2,024).
        assert message.body_zh == (
            f"{NAME}未在2025-12-31前足额清缴2024年度配额（应清缴1,234,567.5吨），缺口12,345吨。"
            "上月平均成交价98.77元/吨，拟处罚款6,096,809.25元至12,193,618.50元，缺口将从2026年度配额中等量核减。"
        )
        assert message.title_zh == f"配额清缴逾期：{NAME} 2024年度"
        assert message.complete

    def test_english_title_and_combined_forms(self) -> None:
        message = render_message(event=SURRENDER_OVERDUE, enterprise=VIEW, templates=load_templates())
        assert message.title_en == f"Allowance surrender overdue: {NAME}, 2024"
        assert message.title == f"配额清缴逾期：{NAME} 2024年度 | Allowance surrender overdue: {NAME}, 2024"
        assert message.body == f"{message.body_zh}\n\n{message.body_en}"
        assert message.sms_text.startswith(f"配额清缴逾期：{NAME} 2024年度：{NAME}未在")

    def test_chinese_round_trips_through_utf8(self) -> None:
        message = render_message(event=SURRENDER_OVERDUE, enterprise=VIEW, templates=load_templates())
        assert message.body.encode("utf-8").decode("utf-8") == message.body
        assert NAME in message.body_zh


class TestMissingAndMalformedFields:
    def test_missing_field_renders_placeholder_and_is_reported(self) -> None:
        partial = facts("ReportOverdue", enterprise_id="ent-1", year=2024)  # no due_date
        message = render_message(event=partial, enterprise=VIEW, templates=load_templates())
        assert message.body_zh.startswith(f"{NAME}未在[due_date]前报送2024年度")
        assert message.missing_fields == ("due_date",)
        assert not message.complete

    def test_unknown_enterprise_name_is_a_placeholder_not_a_crash(self) -> None:
        message = render_message(
            event=facts("AllowanceAllocated", year=2024), enterprise=None, templates=load_templates()
        )
        assert "[enterprise_name]" in message.body_zh
        assert set(message.missing_fields) == {
            "enterprise_name",
            "kind",
            "amount",
            "credited",
            "deducted_shortfall",
        }

    def test_unformattable_amount_is_reported_as_malformed(self) -> None:
        bad = facts("CcerDeposited", enterprise_id="ent-1", amount="lots", project_ref="P-1")
        message = render_message(event=bad, enterprise=VIEW, templates=load_templates())
        assert message.malformed_fields == ("amount",)
        assert "[amount]" in message.body_en

    def test_event_type_without_template_is_an_error(self) -> None:
        with pytest.raises(TemplateNotFound, match="EnterpriseUpdated"):
            render_message(event=facts("EnterpriseUpdated"), enterprise=VIEW, templates=load_templates())


class TestLabelsAndNames:
    def test_credit_levels_are_labelled_per_language(self) -> None:
        changed = facts(
            "CreditRatingChanged",
            subject_id="ent-1",
            subject_kind="enterprise",
            subject_name=None,
            level_before="blue",
            level_after="red",
            points=12,
            cause="SurrenderOverdue",
        )
        message = render_message(event=changed, enterprise=VIEW, templates=load_templates())
        assert message.body_zh == f"{NAME}的环境信用等级由良好调整为不良（累计12分）。原因：SurrenderOverdue"
        assert "from blue (good) to red (untrustworthy)" in message.body_en

    def test_agency_subject_name_comes_from_payload(self) -> None:
        changed = facts(
            "CreditRatingChanged", subject_id="ag-1", subject_kind="agency", subject_name="某核查机构",
            level_before="green", level_after="yellow", points=3, cause="c",
        )  # fmt: skip
        assert render_message(event=changed, enterprise=None, templates=load_templates()).title_zh == (
            "环境信用等级变更：某核查机构"
        )

    def test_datetime_payload_renders_as_the_china_standard_time_day(self) -> None:
        # 2025-06-30T17:00Z is 2025-07-01 01:00 in UTC+8.
        verified = facts("AgencyViolationRecorded", agency_name="A", violation="violation", findings="f",
                         occurred_on="2025-06-30T17:00:00+00:00")  # fmt: skip
        message = render_message(event=verified, enterprise=None, templates=load_templates())
        assert message.body_zh == "A于2025-07-01被记录违法违规。检查发现：f"


class TestShippedTemplateSet:
    def test_every_routed_event_type_has_a_template(self) -> None:
        bundle = load_reference()  # raises when a routed type lacks a template
        assert set(bundle.routes.routes) <= set(bundle.templates.templates)


class TestFormatters:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            ("1234567", "1,234,567"),
            (Decimal("-26000"), "-26,000"),
            ("5.0", "5"),
        ],
    )
    def test_integer(self, value: Any, expected: str) -> None:
        assert format_integer(value) == expected

    @pytest.mark.parametrize("value", ["5.5", True, None, "NaN", "abc"])
    def test_integer_refuses_non_integers(self, value: Any) -> None:
        with pytest.raises(ValueError):
            format_integer(value)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("26000", "26,000"), ("26000.500", "26,000.5"), ("0.001", "0.001"), ("1E+5", "100,000"), (7, "7")],
    )
    def test_tonnes_are_exact(self, value: Any, expected: str) -> None:
        assert format_tonnes(value) == expected

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("1234.565", "1,234.57"),
            ("1234.564", "1,234.56"),
            ("0.005", "0.01"),
            ("10", "10.00"),
            ("-2.345", "-2.35"),
        ],
    )
    def test_money_rounds_half_up_to_cents(self, value: Any, expected: str) -> None:
        assert format_money(value) == expected

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (dt.date(2025, 3, 31), "2025-03-31"),
            ("2025-03-31", "2025-03-31"),
            (dt.datetime(2025, 3, 31, 15, 59, tzinfo=dt.UTC), "2025-03-31"),  # 23:59 CST
            (dt.datetime(2025, 3, 31, 16, 0, tzinfo=dt.UTC), "2025-04-01"),  # 00:00 CST next day
        ],
    )
    def test_dates_are_iso_on_the_local_day(self, value: Any, expected: str) -> None:
        assert format_date(value, utc_offset=CST) == expected

    def test_naive_timestamp_is_refused(self) -> None:
        with pytest.raises(ValueError, match="without offset"):
            format_date("2025-03-31T12:00:00", utc_offset=CST)

    @given(
        st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**12), max_value=10**12)
    )
    def test_tonnes_round_trip_exactly(self, value: Decimal) -> None:
        assert Decimal(format_tonnes(value).replace(",", "")) == value
