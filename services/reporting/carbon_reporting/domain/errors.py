"""Errors the reporting domain raises: each has a stable machine `code` and a message a person can act on.

The API layer maps `code` to a problem+json `type` and a status: validation errors -> 422, `ReportNotFound`
-> 404 (also used to hide another enterprise's report), `ActionForbidden` -> 403, `TransitionRefused`
and `AgencyNotAssignable` -> 409, reference errors -> 500 (a broken deployment, not bad input) except
`ReferenceYearMissing`, which is 422 when the year came from the request.
"""

from __future__ import annotations

from dataclasses import dataclass


class ReportingError(Exception):
    """Base of every reporting domain error."""

    code = "reporting_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FieldIssue:
    """One invalid input field: `loc` is a dotted path such as `fuels[2].oxidation`."""

    loc: str
    msg: str


class InvalidInput(ReportingError):
    """Input the domain refuses; `issues` lists every bad field, not only the first (a 422 `errors` list)."""

    code = "invalid_input"
    summary = "the input is invalid"

    def __init__(self, issues: tuple[FieldIssue, ...]) -> None:
        details = "; ".join(f"{issue.loc}: {issue.msg}" for issue in issues)
        super().__init__(f"{self.summary}: {details}")
        self.issues = issues


class InvalidActivityData(InvalidInput):
    """Activity data that cannot be accounted (unknown fuel or unit, negative amount, bad oxidation...)."""

    code = "invalid_activity_data"
    summary = "the activity data cannot be accounted"


class ReferenceDataInvalid(ReportingError):
    """A reference TOML file is malformed; the message names the file and key to fix."""

    code = "reference_data_invalid"


class ReferenceVersionUnknown(ReportingError):
    code = "reference_version_unknown"


class ReferenceYearMissing(ReportingError):
    """The reference tables hold no rule for the year asked about (a grid factor, a holiday calendar)."""

    code = "reference_year_missing"


class ReportNotFound(ReportingError):
    """No such report for this caller; also raised to hide another enterprise's report (404, not 403)."""

    code = "report_not_found"


class ActionForbidden(ReportingError):
    """The caller's role or agency may not perform this action on this report."""

    code = "action_forbidden"


class TransitionRefused(ReportingError):
    """The report's current status does not allow the action (e.g. submitting a verified report)."""

    code = "transition_refused"


class ReviewWindowClosed(TransitionRefused):
    """The working days for asking a review (复核) of a verified result are over (409)."""

    code = "review_window_closed"


class AgencyNotAssignable(ReportingError):
    """The agency is banned on the assignment date, prepared the report itself, or is not a verifier."""

    code = "agency_not_assignable"


class ReportNotVerified(ReportingError):
    """Only a verified report can be disclosed."""

    code = "report_not_verified"
