"""USCC validation per GB 32100-2015 (DOMAIN rule 2): check digit, charset, length, admin division."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_registry.domain.errors import InvalidUscc
from carbon_registry.domain.uscc import (
    admin_division_code,
    complete_uscc,
    compute_check_digit,
    normalize_uscc,
    validate_uscc,
)
from carbon_registry.reference import load_uscc_standard

STANDARD = load_uscc_standard()
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Hand-computed: digits 9,1,6,4,0,5 with weights 1,3,9,27,19,26 -> 9+3+54+108+0+130 = 304 (rest are 0);
# 304 mod 31 = 25; 31 - 25 = 6.
VALID = "916405000000000006"


class TestComputeCheckDigit:
    def test_digits_only_body(self) -> None:
        assert compute_check_digit(body="91640500000000000", standard=STANDARD) == "6"

    def test_body_with_letters(self) -> None:
        # 9*1 + 1*3 + 6*9 + 4*27 + 0*19 + 5*26 + 2*16 + 1*17 + M(21)*20 + A(10)*29 + 7*25 = 1238;
        # 1238 mod 31 = 29 (31*39 = 1209); 31 - 29 = 2.
        assert compute_check_digit(body="91640521MA7000000", standard=STANDARD) == "2"

    def test_remainder_zero_gives_zero_not_31(self) -> None:
        # 1*1 + A(10)*3 = 31; 31 mod 31 = 0; 31 - 0 = 31 -> 0.
        assert compute_check_digit(body="1A000000000000000", standard=STANDARD) == "0"

    def test_highest_check_value_is_y(self) -> None:
        # 1*1 = 1; 31 - 1 = 30 -> charset[30] = Y.
        assert compute_check_digit(body="10000000000000000", standard=STANDARD) == "Y"

    def test_body_of_wrong_length_is_refused(self) -> None:
        with pytest.raises(InvalidUscc, match="body has 17 characters, got 16"):
            compute_check_digit(body="9164050000000000", standard=STANDARD)

    def test_complete_uscc_appends_the_check_digit_to_a_normalised_body(self) -> None:
        assert complete_uscc(body=" 91640521ma7000000 ", standard=STANDARD) == "91640521MA70000002"


class TestValidateUscc:
    def test_valid_code_is_returned(self) -> None:
        assert validate_uscc(code=VALID, standard=STANDARD) == VALID

    def test_lower_case_and_whitespace_are_normalised(self) -> None:
        assert validate_uscc(code="  91640521ma70000002\u3000", standard=STANDARD) == "91640521MA70000002"

    def test_wrong_check_digit_names_expected_and_given(self) -> None:
        with pytest.raises(InvalidUscc, match="check digit should be 6, got 7") as caught:
            validate_uscc(code="916405000000000007", standard=STANDARD)
        assert caught.value.code == "invalid_uscc"

    def test_letter_i_is_refused_with_its_position(self) -> None:
        expected = r"character 'I' at position 5 is not allowed \(GB 32100 excludes I, O, S, V, Z\)"
        with pytest.raises(InvalidUscc, match=expected):
            validate_uscc(code="9164I5000000000006", standard=STANDARD)

    @pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
    def test_every_excluded_letter_is_refused(self, letter: str) -> None:
        with pytest.raises(InvalidUscc, match=f"character '{letter}' at position 18"):
            validate_uscc(code="91640500000000000" + letter, standard=STANDARD)

    def test_punctuation_is_refused_without_the_letter_hint(self) -> None:
        with pytest.raises(InvalidUscc, match=r"character '-' at position 3 is not allowed$"):
            validate_uscc(code="91-405000000000006", standard=STANDARD)

    @pytest.mark.parametrize(("code", "length"), [("91640500000000000", 17), ("9164050000000000061", 19)])
    def test_wrong_length(self, code: str, length: int) -> None:
        with pytest.raises(InvalidUscc, match=f"has 18 characters, got {length}"):
            validate_uscc(code=code, standard=STANDARD)

    def test_empty(self) -> None:
        with pytest.raises(InvalidUscc, match="empty"):
            validate_uscc(code="   ", standard=STANDARD)

    def test_normalize_does_not_validate(self) -> None:
        assert normalize_uscc(code=" abc ") == "ABC"


class TestAdminDivisionCode:
    def test_characters_three_to_eight(self) -> None:
        assert admin_division_code(code="91640521MA70000002", standard=STANDARD) == "640521"

    def test_invalid_code_is_refused_first(self) -> None:
        with pytest.raises(InvalidUscc, match="check digit"):
            admin_division_code(code="91640521MA70000003", standard=STANDARD)


class TestCheckDigitProperties:
    @given(st.text(alphabet=CHARSET, min_size=17, max_size=17))
    def test_completed_code_always_validates(self, body: str) -> None:
        assert validate_uscc(code=complete_uscc(body=body, standard=STANDARD), standard=STANDARD)[:17] == body

    @given(
        st.text(alphabet=CHARSET, min_size=17, max_size=17),
        st.integers(min_value=0, max_value=16),
        st.sampled_from(CHARSET),
    )
    def test_any_single_substitution_in_the_body_is_caught(self, body: str, position: int, char: str) -> None:
        # Every weight is a non-zero residue mod the prime 31, so changing one character changes the sum.
        code = complete_uscc(body=body, standard=STANDARD)
        altered = code[:position] + char + code[position + 1 :]
        if altered != code:
            with pytest.raises(InvalidUscc, match="check digit should be"):
                validate_uscc(code=altered, standard=STANDARD)
