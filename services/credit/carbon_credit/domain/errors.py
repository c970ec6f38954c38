"""Domain errors of the credit service.

Each error carries a stable machine `code` (the API maps it to a problem+json `type`) and a message a
regulator, an enterprise or a member of the public can act on.
"""

from __future__ import annotations


class CreditDomainError(Exception):
    """Base of every rule violation the credit domain reports."""

    code = "credit_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRuleTable(CreditDomainError):
    code = "invalid_rule_table"


class UnknownFactCause(CreditDomainError):
    code = "unknown_fact_cause"


class FactNotApplicable(CreditDomainError):
    """The fact's cause is not rated for this kind of subject (e.g. an agency violation on an enterprise)."""

    code = "fact_not_applicable"


class InvalidFact(CreditDomainError):
    code = "invalid_fact"


class SubjectMismatch(CreditDomainError):
    code = "subject_mismatch"


class FactNotFound(CreditDomainError):
    code = "fact_not_found"


class RepairNotAllowed(CreditDomainError):
    """The fact type cannot be repaired at all (e.g. a positive fact)."""

    code = "repair_not_allowed"


class RepairTooEarly(CreditDomainError):
    """The rectification period (整改期) of the fact has not yet passed."""

    code = "repair_too_early"


class RepairNotNeeded(CreditDomainError):
    """The fact no longer counts (expired or already repaired) at the requested date."""

    code = "repair_not_needed"


class DecisionAlreadyMade(CreditDomainError):
    """A repair application or complaint step was already decided; decisions are final."""

    code = "decision_already_made"


class TransitionNotAllowed(CreditDomainError):
    code = "transition_not_allowed"


class ReasonRequired(CreditDomainError):
    code = "reason_required"


class InvalidTimestamp(CreditDomainError):
    code = "invalid_timestamp"


class InvalidComplaint(CreditDomainError):
    code = "invalid_complaint"


class UnknownRuleVersion(CreditDomainError):
    code = "unknown_rule_version"
