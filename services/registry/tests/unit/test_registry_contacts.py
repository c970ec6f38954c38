"""Contact validation: e-mail addresses and mainland mobile / landline numbers, each refusal with a reason."""

from __future__ import annotations

import pytest

from carbon_registry.domain.contacts import ContactDetails, validate_contact, validate_email, validate_phone
from carbon_registry.domain.errors import InvalidContact, InvalidEmail, InvalidPhone


class TestValidateEmail:
    def test_domain_is_lower_cased_and_whitespace_trimmed(self) -> None:
        assert validate_email(email=" Li.Ming@Example.CN ") == "Li.Ming@example.cn"

    def test_plus_tag_and_subdomain(self) -> None:
        assert validate_email(email="carbon+2024@mail.zw.gov.cn") == "carbon+2024@mail.zw.gov.cn"

    @pytest.mark.parametrize(
        ("email", "reason"),
        [
            ("", "empty"),
            ("li.example.cn", "exactly one '@', found no '@'"),
            ("a@b@example.cn", "found 2 '@' signs"),
            ("@example.cn", "nothing before the '@'"),
            ("li@", "no domain after the '@'"),
            ("li@localhost", "domain 'localhost' needs a dot"),
            ("li ming@example.cn", "character ' ' is not allowed before the '@'"),
            ("李明@example.cn", "character '李' is not allowed"),
            (".li@example.cn", "misplaced dot"),
            ("li..ming@example.cn", "misplaced dot"),
            ("li@-bad.cn", "domain part '-bad'"),
            ("li@example.c", "top-level domain 'c'"),
            ("li@example.123", "top-level domain '123'"),
            ("a" * 65 + "@example.cn", "at most 64 characters, got 65"),
        ],
    )
    def test_refusals_say_why(self, email: str, reason: str) -> None:
        with pytest.raises(InvalidEmail, match=reason.replace("(", r"\(")):
            validate_email(email=email)

    def test_address_longer_than_254_is_refused(self) -> None:
        long_domain = ".".join(["a" * 60] * 4) + ".cn"  # 4*60 + 3 dots + ".cn" = 246 characters
        with pytest.raises(InvalidEmail, match="at most 254 characters, got 256"):
            validate_email(email="abcdefghi@" + long_domain)  # 9 + 1 + 246 = 256


class TestValidatePhone:
    @pytest.mark.parametrize(
        ("phone", "normalised"),
        [
            ("13912345678", "13912345678"),
            ("139 1234 5678", "13912345678"),
            ("+86 139-1234-5678", "13912345678"),
            ("0086 13912345678", "13912345678"),
            ("0955-1234567", "0955-1234567"),
            ("(0955) 1234567", "0955-1234567"),
            ("（0955）7012345", "0955-7012345"),
            ("09551234567", "0955-1234567"),
            ("+86 955 1234567", "0955-1234567"),
            ("010-12345678", "010-12345678"),
            ("02912345678", "029-12345678"),
            ("0955-1234567-801", "0955-1234567-801"),
            ("0955-1234567转801", "0955-1234567-801"),
            ("0955-1234567 ext 801", "0955-1234567-801"),
        ],
    )
    def test_accepted_forms_normalise(self, phone: str, normalised: str) -> None:
        assert validate_phone(phone=phone) == normalised

    @pytest.mark.parametrize(
        ("phone", "reason"),
        [
            ("", "empty"),
            ("1391234567", "mobile number '1391234567' must have 11 digits, got 10"),
            ("12912345678", "must start with 13-19, got 12"),
            ("9551234567", "needs its area code"),
            ("0955-123", "expected a 7- or 8-digit local number not starting with 0, got '123'"),
            ("0955-0123456", "got '0123456'"),
            ("0955-123456789", "got '123456789'"),
            ("0955-12a4567", "character 'a' is not allowed"),
            ("13912345678转8", "cannot have an extension"),
            ("+86 139-1234-5678-12", "must have 11 digits, got 13"),
        ],
    )
    def test_refusals_say_why(self, phone: str, reason: str) -> None:
        with pytest.raises(InvalidPhone, match=reason.replace("(", r"\(")):
            validate_phone(phone=phone)


class TestValidateContact:
    def test_contact_with_both_channels(self) -> None:
        contact = validate_contact(name=" 李明 ", email="li@example.cn", phone="139 1234 5678")
        assert contact == ContactDetails(name="李明", email="li@example.cn", phone="13912345678")

    def test_blank_channels_become_none(self) -> None:
        contact = validate_contact(name="李明", email="  ", phone="0955-1234567")
        assert (contact.email, contact.phone) == (None, "0955-1234567")

    def test_name_is_required(self) -> None:
        with pytest.raises(InvalidContact, match="needs a name"):
            validate_contact(name=" ", email="li@example.cn", phone=None)

    def test_one_channel_is_required(self) -> None:
        with pytest.raises(InvalidContact, match="needs an e-mail address or a phone number"):
            validate_contact(name="李明", email=None, phone="")

    def test_a_bad_channel_is_not_silently_dropped(self) -> None:
        with pytest.raises(InvalidEmail):
            validate_contact(name="李明", email="li@", phone="13912345678")
