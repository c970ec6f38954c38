"""The errors the allowance domain raises: each has a stable machine `code` and a message a person can act on.

The API layer maps the class to an HTTP status (see each docstring) and `code` to a problem+json `type`.
"""

from __future__ import annotations


class AllowanceError(Exception):
    """Base of every allowance domain error."""

    code = "allowance_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(AllowanceError):
    """A command carries a value the rules cannot accept (negative quantity, blank reason...): 422."""

    code = "invalid_input"


class ReferenceDataMissing(AllowanceError):
    """The rule tables have no entry for what was asked (a year without benchmarks, a month without
    a price): 422. The message names the table version so a regulator knows what to add."""

    code = "reference_data_missing"


class ReferenceDataInvalid(AllowanceError):
    """A reference TOML file is malformed; the message names the file and key."""

    code = "reference_data_invalid"


class ReferenceVersionUnknown(AllowanceError):
    code = "reference_version_unknown"


class InsufficientBalance(AllowanceError):
    """An enterprise account would go negative (available, unfrozen units are short): 409."""

    code = "insufficient_balance"


class FrozenUnitsCannotMove(AllowanceError):
    """A transaction tried to move pledged or judicially frozen units other than by releasing them: 409."""

    code = "frozen_units_cannot_move"


class UnbalancedTransaction(AllowanceError):
    """Postings of one instrument do not sum to zero: a programming error, never a user's."""

    code = "unbalanced_transaction"


class HoldNotFound(AllowanceError):
    """A release names a pledge or freeze that is not open (never made, or already released): 404/409."""

    code = "hold_not_found"


class CcerCapExceeded(AllowanceError):
    """A surrender would use more CCER than the share of the obligation the rules allow: 422."""

    code = "ccer_cap_exceeded"


class SurrenderExceedsObligation(AllowanceError):
    """A surrender would hand in more units than the obligation still requires: 422."""

    code = "surrender_exceeds_obligation"


class StaleRevision(AllowanceError):
    """A correction carries a report revision older than the one the obligation already reflects: 409."""

    code = "stale_revision"
