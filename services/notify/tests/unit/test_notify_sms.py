"""SMS request shaping: phone normalisation, signature, truncation with a marker, gateway body."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_notify.domain.errors import InvalidPhoneNumber
from carbon_notify.domain.sms import SmsPolicy, normalize_mobile, shape_sms
from carbon_notify.reference import load_delivery_policy

# 20 characters of signature+text room in total: "【中卫】" (4) + marker "…" (1) leaves 15 for text.
SMALL = SmsPolicy(
    max_chars=20, truncation_marker="…", signature="【中卫】", phone_field="mobile", text_field="content"
)


class TestNormalizeMobile:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("13900000001", "13900000001"),
            ("+86 139-0000-0001", "13900000001"),
            ("0086 13900000001", "13900000001"),
            ("8613900000001", "13900000001"),
            (" 199 0000 0001 ", "19900000001"),
        ],
    )
    def test_accepted_forms(self, raw: str, expected: str) -> None:
        assert normalize_mobile(raw) == expected

    @pytest.mark.parametrize(
        "raw", ["", "0955-7012345", "1390000000", "139000000012", "12900000001", "1390000000a"]
    )
    def test_not_a_mainland_mobile(self, raw: str) -> None:
        with pytest.raises(InvalidPhoneNumber, match="not a mainland mobile number"):
            normalize_mobile(raw)


class TestShapeSms:
    def test_short_text_is_signed_and_untouched(self) -> None:
        request = shape_sms(phone="+8613900000001", text="配额清缴逾期", policy=SMALL)
        assert (request.phone, request.text, request.truncated) == (
            "13900000001",
            "【中卫】配额清缴逾期",
            False,
        )
        assert request.body(SMALL) == {"mobile": "13900000001", "content": "【中卫】配额清缴逾期"}

    def test_text_at_exactly_the_limit_is_not_truncated(self) -> None:
        text = "一" * 16  # 4 + 16 = 20
        assert shape_sms(phone="13900000001", text=text, policy=SMALL).truncated is False

    def test_long_text_is_cut_with_the_marker_within_the_limit(self) -> None:
        text = "一二三四五六七八九十" * 2  # 20 characters, 24 signed > 20
        request = shape_sms(phone="13900000001", text=text, policy=SMALL)
        # keep 20 - 4 - 1 = 15 characters of text
        assert request.text == "【中卫】一二三四五六七八九十一二三四五…"
        assert (len(request.text), request.truncated) == (20, True)

    def test_whitespace_collapses(self) -> None:
        request = shape_sms(phone="13900000001", text="标题：\n\n正文  内容", policy=SMALL)
        assert request.text == "【中卫】标题： 正文 内容"

    def test_bad_phone_is_refused(self) -> None:
        with pytest.raises(InvalidPhoneNumber):
            shape_sms(phone="12345", text="x", policy=SMALL)

    def test_shipped_policy_marker_tells_where_to_read_more(self) -> None:
        policy = load_delivery_policy("2023.1").sms
        request = shape_sms(phone="13900000001", text="逾" * 500, policy=policy)
        assert request.text.startswith(policy.signature) and request.text.endswith(policy.truncation_marker)
        assert len(request.text) == policy.max_chars

    @given(st.text(alphabet="中卫碳 \n市场abc", max_size=60))
    def test_never_exceeds_the_limit(self, text: str) -> None:
        request = shape_sms(phone="13900000001", text=text, policy=SMALL)
        assert len(request.text) <= SMALL.max_chars
        assert request.text.startswith(SMALL.signature)
