"""The annual report's lifecycle as a pure state machine; every step returns the new state and its record.

    draft -> submitted -> in_verification -> verified | returned
    draft -> withdrawn;  returned -> (edited) -> submitted
    verified -> recheck_ordered (复查) -> in_verification -> verified with revision + 1

`revision` counts verifications: 0 until the first, then 1, 2... A re-check that ends verified yields a
higher revision, which consumers treat as a correction of the earlier `ReportVerified`. The region may push
a result for a report it verified itself, so it may also record one from `submitted` or `recheck_ordered`.
Nothing is overwritten: the caller appends each `TransitionRecord` to the report's history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from carbon_reporting.domain.errors import (
    AgencyNotAssignable,
    FieldIssue,
    InvalidInput,
    ReviewWindowClosed,
    TransitionRefused,
)
from carbon_reporting.domain.policy import Action, Actor, ReportAccess, Role, authorize


class ReportStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_VERIFICATION = "in_verification"
    VERIFIED = "verified"
    RETURNED = "returned"
    RECHECK_ORDERED = "recheck_ordered"
    WITHDRAWN = "withdrawn"


class Conclusion(StrEnum):
    ACCEPTED = "accepted"
    RETURNED = "returned"


@dataclass(frozen=True)
class Report:
    report_id: str
    enterprise_id: str
    year: int
    status: ReportStatus = ReportStatus.DRAFT
    revision: int = 0
    assigned_agency_id: str | None = None
    prepared_by_agency_id: str | None = None
    verified_emissions_tco2e: Decimal | None = None

    @property
    def access(self) -> ReportAccess:
        return ReportAccess(enterprise_id=self.enterprise_id, assigned_agency_id=self.assigned_agency_id)

    @property
    def submission_revision(self) -> int:
        """The revision a submission is heading for (what `ReportSubmitted.revision` carries)."""
        return self.revision + 1


@dataclass(frozen=True)
class AgencyStanding:
    """What the registry says about an agency: its kind and the last day of any ban (inclusive)."""

    agency_id: str
    kind: str
    banned_until: dt.date | None = None

    def is_banned_on(self, day: dt.date) -> bool:
        return self.banned_until is not None and day <= self.banned_until


@dataclass(frozen=True)
class TransitionRecord:
    report_id: str
    action: Action
    from_status: ReportStatus
    to_status: ReportStatus
    actor_subject: str
    actor_role: Role
    at: dt.datetime
    opinion: str
    revision: int


@dataclass(frozen=True)
class Step:
    report: Report
    record: TransitionRecord


_FROM = {
    Action.SUBMIT: frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED}),
    Action.WITHDRAW: frozenset({ReportStatus.DRAFT}),
    Action.EDIT: frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED}),
    Action.ASSIGN: frozenset({ReportStatus.SUBMITTED, ReportStatus.RECHECK_ORDERED}),
    Action.ORDER_RECHECK: frozenset({ReportStatus.VERIFIED}),
}
_VERIFIABLE_BY_AGENCY = frozenset({ReportStatus.IN_VERIFICATION})
_VERIFIABLE_BY_REGION = frozenset(
    {ReportStatus.SUBMITTED, ReportStatus.IN_VERIFICATION, ReportStatus.RECHECK_ORDERED}
)
VERIFICATION_AGENCY_KIND = "verification"


def ensure_editable(*, report: Report, actor: Actor) -> None:
    """Activity data may change only in draft or after a return, and only by the owner."""
    authorize(actor=actor, access=report.access, action=Action.EDIT)
    _ensure_status(report, Action.EDIT, _FROM[Action.EDIT])


def submit_report(*, report: Report, actor: Actor, at: dt.datetime) -> Step:
    return _simple(report, actor, Action.SUBMIT, ReportStatus.SUBMITTED, at, opinion="")


def withdraw_report(*, report: Report, actor: Actor, at: dt.datetime, opinion: str = "") -> Step:
    return _simple(report, actor, Action.WITHDRAW, ReportStatus.WITHDRAWN, at, opinion=opinion)


def order_recheck(*, report: Report, actor: Actor, reason: str, at: dt.datetime) -> Step:
    _require_text("reason", reason)
    return _simple(report, actor, Action.ORDER_RECHECK, ReportStatus.RECHECK_ORDERED, at, opinion=reason)


def assign_agency(
    *, report: Report, actor: Actor, agency: AgencyStanding, on: dt.date, at: dt.datetime
) -> Step:
    """Assign a verification agency; `on` is the China Standard Time date the ban is judged on."""
    authorize(actor=actor, access=report.access, action=Action.ASSIGN)
    _ensure_status(report, Action.ASSIGN, _FROM[Action.ASSIGN])
    _ensure_assignable(report, agency, on)
    assigned = replace(report, status=ReportStatus.IN_VERIFICATION, assigned_agency_id=agency.agency_id)
    return _step(report, assigned, actor, Action.ASSIGN, at, opinion="")


def record_verification(
    *,
    report: Report,
    actor: Actor,
    conclusion: Conclusion,
    verified_emissions_tco2e: Decimal | None,
    opinion: str,
    at: dt.datetime,
    agency: AgencyStanding | None,
    on: dt.date,
) -> Step:
    """Record the agency's (or the region's) result: accepted -> verified with revision + 1; else returned.

    `agency` is the assigned agency as the registry describes it now, `on` the CST date: an agency banned
    since its assignment may no longer record a result (the regulator assigns another; the region may).
    """
    authorize(actor=actor, access=report.access, action=Action.VERIFY)
    allowed = _VERIFIABLE_BY_REGION if actor.role is Role.REGION else _VERIFIABLE_BY_AGENCY
    _ensure_status(report, Action.VERIFY, allowed)
    if actor.role is Role.VERIFIER and agency is not None and agency.is_banned_on(on):
        raise AgencyNotAssignable(
            f"agency {agency.agency_id} is barred until {agency.banned_until}: it may not record results; "
            "the regulator assigns another agency"
        )
    if conclusion is Conclusion.RETURNED:
        _require_text("opinion", opinion)
        return _step(report, replace(report, status=ReportStatus.RETURNED), actor, Action.VERIFY, at, opinion)
    if (
        verified_emissions_tco2e is None
        or not verified_emissions_tco2e.is_finite()
        or verified_emissions_tco2e < 0
    ):
        raise InvalidInput(
            (FieldIssue("verified_emissions_tco2e", "an accepted result needs a number >= 0"),)
        )
    verified = replace(
        report,
        status=ReportStatus.VERIFIED,
        revision=report.revision + 1,
        verified_emissions_tco2e=verified_emissions_tco2e,
    )
    return _step(report, verified, actor, Action.VERIFY, at, opinion)


def request_review(
    *, report: Report, actor: Actor, reason: str, on: dt.date, window_closes: dt.date | None, at: dt.datetime
) -> Step:
    """The enterprise asks for a review (复核) of its verified result, at the latest on `window_closes`
    (CST dates; None only before any verification). The status stays `verified`: the request goes on the
    record for the regulator, who may order a re-check (复查)."""
    authorize(actor=actor, access=report.access, action=Action.REQUEST_REVIEW)
    _ensure_status(report, Action.REQUEST_REVIEW, frozenset({ReportStatus.VERIFIED}))
    _require_text("reason", reason)
    if window_closes is None:
        raise TransitionRefused(f"report {report.report_id} carries no verification date to count from")
    if on > window_closes:
        raise ReviewWindowClosed(
            f"a review could be requested until {window_closes.isoformat()} (CST); it is {on.isoformat()}"
        )
    return _step(report, report, actor, Action.REQUEST_REVIEW, at, opinion=reason)


def _simple(
    report: Report, actor: Actor, action: Action, to: ReportStatus, at: dt.datetime, *, opinion: str
) -> Step:
    authorize(actor=actor, access=report.access, action=action)
    _ensure_status(report, action, _FROM[action])
    return _step(report, replace(report, status=to), actor, action, at, opinion)


def _step(before: Report, after: Report, actor: Actor, action: Action, at: dt.datetime, opinion: str) -> Step:
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidInput((FieldIssue("at", "a transition time must carry its UTC offset"),))
    record = TransitionRecord(
        report_id=before.report_id,
        action=action,
        from_status=before.status,
        to_status=after.status,
        actor_subject=actor.subject,
        actor_role=actor.role,
        at=at.astimezone(dt.UTC),
        opinion=opinion,
        revision=after.revision,
    )
    return Step(report=after, record=record)


def _ensure_status(report: Report, action: Action, allowed: frozenset[ReportStatus]) -> None:
    if report.status not in allowed:
        permitted = ", ".join(sorted(status.value for status in allowed))
        raise TransitionRefused(
            f"cannot {action.value.replace('_', ' ')} a report that is {report.status.value}; "
            f"allowed only when {permitted}"
        )


def _ensure_assignable(report: Report, agency: AgencyStanding, on: dt.date) -> None:
    if agency.kind != VERIFICATION_AGENCY_KIND:
        raise AgencyNotAssignable(
            f"agency {agency.agency_id} is a {agency.kind} agency, not a verification agency"
        )
    if agency.is_banned_on(on):
        until = agency.banned_until.isoformat() if agency.banned_until else ""
        raise AgencyNotAssignable(f"agency {agency.agency_id} is barred from assignments until {until}")
    if report.prepared_by_agency_id == agency.agency_id:
        raise AgencyNotAssignable(
            f"agency {agency.agency_id} prepared this report and cannot verify it; choose another agency"
        )


def _require_text(field: str, value: str) -> None:
    if not value.strip():
        raise InvalidInput((FieldIssue(field, "must not be empty: say why, it goes on the record"),))
