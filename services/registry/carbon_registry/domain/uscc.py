"""统一社会信用代码 (Unified Social Credit Code, USCC) per GB 32100-2015 (DOMAIN rule 2).

The code structure (character set, weights, length, where the admin division sits) is reference data
(`reference/uscc/`), passed in as a `UsccStandard`, so this module holds only the algorithm:
check = (modulus - (sum of value(char_i) * weight_i over the first length-1 characters) mod modulus)
mod modulus, where value() is the character's index in the character set and modulus is the size of the
set; the outer `mod modulus` is the standard's "31 -> 0" rule. Integers only, so nothing is rounded.

Input is normalised before it is checked: surrounding whitespace removed and letters upper-cased, because
codes copied from certificates and spreadsheets often arrive in lower case or with a trailing space.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from carbon_registry.domain.errors import InvalidUscc, ReferenceDataInvalid


@dataclass(frozen=True)
class UsccStandard:
    """The code structure of GB 32100-2015; positions are 1-based and inclusive, as in the standard."""

    charset: str
    weights: tuple[int, ...]
    length: int
    division_first_position: int
    division_last_position: int

    def __post_init__(self) -> None:
        if len(set(self.charset)) != len(self.charset):
            raise ReferenceDataInvalid("USCC charset repeats a character")
        if len(self.weights) != self.length - 1:
            raise ReferenceDataInvalid(
                f"USCC needs {self.length - 1} weights (one per non-check character), got {len(self.weights)}"
            )
        if not 1 <= self.division_first_position <= self.division_last_position < self.length:
            raise ReferenceDataInvalid("USCC admin division positions must lie inside the code body")

    @property
    def modulus(self) -> int:
        return len(self.charset)

    @property
    def excluded_letters(self) -> str:
        """Upper-case Latin letters the standard leaves out (so they cannot be confused with digits)."""
        return "".join(letter for letter in string.ascii_uppercase if letter not in self.charset)


def normalize_uscc(*, code: str) -> str:
    """Strip surrounding whitespace (ASCII and the full-width space) and upper-case the letters."""
    return code.strip().strip("\u3000").strip().upper()


def _reject_foreign_characters(body: str, *, standard: UsccStandard) -> None:
    for position, char in enumerate(body, start=1):
        if char not in standard.charset:
            hint = f" (GB 32100 excludes {', '.join(standard.excluded_letters)})" if char.isalpha() else ""
            raise InvalidUscc(f"character {char!r} at position {position} is not allowed{hint}")


def compute_check_digit(*, body: str, standard: UsccStandard) -> str:
    """The check character for the first length-1 characters of a USCC (`body`, already normalised)."""
    if len(body) != standard.length - 1:
        raise InvalidUscc(f"a USCC body has {standard.length - 1} characters, got {len(body)}")
    _reject_foreign_characters(body, standard=standard)
    weighted_sum = sum(
        standard.charset.index(char) * weight for char, weight in zip(body, standard.weights, strict=True)
    )
    return standard.charset[(standard.modulus - weighted_sum % standard.modulus) % standard.modulus]


def complete_uscc(*, body: str, standard: UsccStandard) -> str:
    """`body` followed by its check character: a valid USCC, for demo data and tests."""
    normalized = normalize_uscc(code=body)
    return normalized + compute_check_digit(body=normalized, standard=standard)


def validate_uscc(*, code: str, standard: UsccStandard) -> str:
    """Return the normalised USCC, or raise InvalidUscc naming the first problem found.

    Checked in order: empty, length, each character against the charset (1-based position), check digit.
    """
    normalized = normalize_uscc(code=code)
    if not normalized:
        raise InvalidUscc("the USCC is empty")
    if len(normalized) != standard.length:
        raise InvalidUscc(f"a USCC has {standard.length} characters, got {len(normalized)}")
    _reject_foreign_characters(normalized, standard=standard)
    expected = compute_check_digit(body=normalized[:-1], standard=standard)
    if normalized[-1] != expected:
        raise InvalidUscc(f"check digit should be {expected}, got {normalized[-1]}")
    return normalized


def admin_division_code(*, code: str, standard: UsccStandard) -> str:
    """The 6-digit administrative division code embedded in a valid USCC (characters 3-8)."""
    normalized = validate_uscc(code=code, standard=standard)
    return normalized[standard.division_first_position - 1 : standard.division_last_position]
