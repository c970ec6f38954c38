"""Contact details of an enterprise: e-mail addresses and mainland-China phone numbers.

Phones are normalised so the same number typed two ways compares equal: a mobile becomes its 11 digits
("13912345678"), a landline becomes "0<area>-<local>" ("0955-1234567"), optionally followed by
"-<extension>". A leading "+86"/"0086" is accepted on both; in international form a landline drops its
trunk 0 ("+86 955 1234567"). Area codes follow the mainland numbering plan: "10" and "2x" have two digits
after the trunk 0, every other area code has three, so a number without separators splits unambiguously.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from carbon_registry.domain.errors import InvalidContact, InvalidEmail, InvalidPhone

# RFC 5321 limits: 64 octets for the local part, 254 for the whole address as used in a forward-path.
_MAX_LOCAL_PART = 64
_MAX_ADDRESS = 254
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
_DOMAIN_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TOP_LEVEL_DOMAIN = re.compile(r"[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59}")

_COUNTRY_PREFIX = re.compile(r"^(\+86|0086)")
_SEPARATORS = re.compile(r"[\s\-()（）]")
# An extension is either marked ("0955-1234567转801", "... ext 801", "... x801") or a third hyphen group.
_MARKED_EXTENSION = re.compile(r"^(?P<number>.+?)\s*(?:转|ext\.?|x|#)\s*(?P<extension>\d{1,6})$", re.I)
_HYPHEN_EXTENSION = re.compile(r"^(?P<number>0\d{2,3}-\d{7,8})-(?P<extension>\d{1,6})$")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_TWO_DIGIT_AREAS = re.compile(r"(10|2\d)")
_LOCAL_NUMBER = re.compile(r"[1-9]\d{6,7}")


@dataclass(frozen=True)
class ContactDetails:
    """A named contact person; at least one of email and phone, both already normalised."""

    name: str
    email: str | None
    phone: str | None


def validate_email(*, email: str) -> str:
    """Return the address with surrounding whitespace removed and the domain lower-cased, or raise."""
    address = email.strip()
    if not address:
        raise InvalidEmail("the e-mail address is empty")
    if len(address) > _MAX_ADDRESS:
        raise InvalidEmail(f"an e-mail address has at most {_MAX_ADDRESS} characters, got {len(address)}")
    if address.count("@") != 1:
        found = "no '@'" if "@" not in address else f"{address.count('@')} '@' signs"
        raise InvalidEmail(f"{address!r} must contain exactly one '@', found {found}")
    local, domain = address.split("@")
    _check_local_part(local, address=address)
    _check_domain(domain, address=address)
    return f"{local}@{domain.lower()}"


def _check_local_part(local: str, *, address: str) -> None:
    if not local:
        raise InvalidEmail(f"{address!r} has nothing before the '@'")
    if len(local) > _MAX_LOCAL_PART:
        raise InvalidEmail(f"the part before '@' has at most {_MAX_LOCAL_PART} characters, got {len(local)}")
    if not _LOCAL_PART.fullmatch(local):
        bad = next(char for char in local if not _LOCAL_PART.fullmatch(char))
        raise InvalidEmail(f"character {bad!r} is not allowed before the '@' in {address!r}")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise InvalidEmail(f"{address!r} has a misplaced dot before the '@' (leading, trailing or doubled)")


def _check_domain(domain: str, *, address: str) -> None:
    if not domain:
        raise InvalidEmail(f"{address!r} has no domain after the '@'")
    labels = domain.split(".")
    if len(labels) < 2:
        raise InvalidEmail(f"domain {domain!r} needs a dot, e.g. example.cn")
    for label in labels[:-1]:
        if not _DOMAIN_LABEL.fullmatch(label):
            raise InvalidEmail(f"domain part {label!r} of {address!r} is not a valid host name label")
    if not _TOP_LEVEL_DOMAIN.fullmatch(labels[-1]):
        raise InvalidEmail(f"top-level domain {labels[-1]!r} of {address!r} is not valid")


def _split_extension(raw: str) -> tuple[str, str | None]:
    for pattern in (_MARKED_EXTENSION, _HYPHEN_EXTENSION):
        found = pattern.match(raw)
        if found:
            return found["number"], found["extension"]
    return raw, None


def validate_phone(*, phone: str) -> str:
    """Return a mainland mobile or landline number in normalised form (see module docstring), or raise."""
    number, extension = _split_extension(phone.strip())
    compact = _SEPARATORS.sub("", number)
    if not compact:
        raise InvalidPhone("the phone number is empty")
    international = _COUNTRY_PREFIX.match(compact)
    digits = compact[international.end() :] if international else compact
    if _MOBILE.fullmatch(digits):
        if extension is not None:
            raise InvalidPhone(f"mobile number {phone.strip()!r} cannot have an extension")
        return digits
    landline = _landline(digits, international=bool(international), original=phone)
    return landline if extension is None else f"{landline}-{extension}"


def _landline(digits: str, *, international: bool, original: str) -> str:
    if not digits.isdigit():
        bad = next(char for char in digits if not char.isdigit())
        raise InvalidPhone(f"character {bad!r} is not allowed in phone number {original!r}")
    looks_mobile = digits.startswith("1") and not (international and digits.startswith("10"))
    if looks_mobile:
        raise InvalidPhone(_mobile_reason(digits, original=original))
    national = digits if not international else "0" + digits
    if not national.startswith("0"):
        raise InvalidPhone(f"landline {original!r} needs its area code, e.g. 0955-1234567")
    area_length = 2 if _TWO_DIGIT_AREAS.match(national[1:3]) else 3
    area, local = national[1 : 1 + area_length], national[1 + area_length :]
    if not _LOCAL_NUMBER.fullmatch(local):
        raise InvalidPhone(
            f"landline {original!r}: after area code 0{area} expected a 7- or 8-digit local number "
            f"not starting with 0, got {local!r}"
        )
    return f"0{area}-{local}"


def _mobile_reason(digits: str, *, original: str) -> str:
    if len(digits) != 11:
        return f"mobile number {original!r} must have 11 digits, got {len(digits)}"
    return f"mobile number {original!r} must start with 13-19, got {digits[:2]}"


def validate_contact(*, name: str, email: str | None, phone: str | None) -> ContactDetails:
    """A contact with a non-empty name and at least one valid way to reach them (notify needs one)."""
    clean_name = name.strip()
    if not clean_name:
        raise InvalidContact("a contact needs a name")
    clean_email = validate_email(email=email) if email and email.strip() else None
    clean_phone = validate_phone(phone=phone) if phone and phone.strip() else None
    if clean_email is None and clean_phone is None:
        raise InvalidContact(f"contact {clean_name!r} needs an e-mail address or a phone number")
    return ContactDetails(name=clean_name, email=clean_email, phone=clean_phone)
