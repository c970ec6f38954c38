"""Complaints (投诉举报) about an enterprise or agency, as a pure state machine.

    filed --accept--> accepted --substantiate--> substantiated   (produces a ComplaintSubstantiated fact)
      |                   `----unsubstantiate--> unsubstantiated
      `---reject (reason)--> rejected

Every step is decided once, at an instant no earlier than the previous step. Handling deadlines (受理告知
and 办结 periods) come from the reference data; they are reported, not enforced, because a late decision
is still a decision the regulator must be able to record.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace

from carbon_credit.domain.clock import CHINA_STANDARD_TIME, end_of_day_cst, require_aware
from carbon_credit.domain.errors import (
    InvalidComplaint,
    InvalidTimestamp,
    ReasonRequired,
    TransitionNotAllowed,
)
from carbon_credit.domain.facts import COMPLAINT_SUBSTANTIATED, Fact, derived_fact_id
from carbon_credit.domain.rules import SubjectKind


@dataclass(frozen=True)
class ComplaintRules:
    version: str
    triage_within_days: int
    conclude_within_days: int
    max_description_chars: int


class ComplaintStatus(enum.Enum):
    FILED = "filed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SUBSTANTIATED = "substantiated"
    UNSUBSTANTIATED = "unsubstantiated"


@dataclass(frozen=True)
class Complaint:
    complaint_id: str
    subject_id: str
    subject_kind: SubjectKind
    description: str
    filed_at: dt.datetime
    status: ComplaintStatus = ComplaintStatus.FILED
    triaged_at: dt.datetime | None = None
    rejection_reason: str | None = None
    concluded_at: dt.datetime | None = None
    finding: str | None = None

    @property
    def last_step_at(self) -> dt.datetime:
        return self.concluded_at or self.triaged_at or self.filed_at


def file_complaint(
    *,
    complaint_id: str,
    subject_id: str,
    subject_kind: SubjectKind,
    description: str,
    filed_at: dt.datetime,
    rules: ComplaintRules,
) -> Complaint:
    """A new complaint from the public; the description must say what happened, within the length limit."""
    text = description.strip()
    if not text:
        raise InvalidComplaint("describe what the enterprise or agency did (the description is empty)")
    if len(text) > rules.max_description_chars:
        raise InvalidComplaint(
            f"the description has {len(text)} characters; shorten it to {rules.max_description_chars}"
        )
    if not subject_id.strip():
        raise InvalidComplaint("name the enterprise or agency the complaint is about")
    return Complaint(
        complaint_id=complaint_id,
        subject_id=subject_id,
        subject_kind=subject_kind,
        description=text,
        filed_at=require_aware(filed_at, what="filed_at"),
    )


def accept_complaint(complaint: Complaint, *, at: dt.datetime) -> Complaint:
    at = _next_step_at(complaint, at, expected=ComplaintStatus.FILED, action="accepted")
    return replace(complaint, status=ComplaintStatus.ACCEPTED, triaged_at=at)


def reject_complaint(complaint: Complaint, *, at: dt.datetime, reason: str) -> Complaint:
    at = _next_step_at(complaint, at, expected=ComplaintStatus.FILED, action="rejected")
    if not reason.strip():
        raise ReasonRequired("a rejected complaint needs a reason the complainant can understand")
    return replace(complaint, status=ComplaintStatus.REJECTED, triaged_at=at, rejection_reason=reason.strip())


def substantiate_complaint(complaint: Complaint, *, at: dt.datetime, finding: str) -> tuple[Complaint, Fact]:
    """Conclude that the complaint is founded: the result carries the fact for the rating engine."""
    at = _next_step_at(complaint, at, expected=ComplaintStatus.ACCEPTED, action="substantiated")
    concluded = replace(
        complaint, status=ComplaintStatus.SUBSTANTIATED, concluded_at=at, finding=_required(finding)
    )
    fact = Fact(
        fact_id=derived_fact_id(complaint.complaint_id, cause=COMPLAINT_SUBSTANTIATED),
        cause=COMPLAINT_SUBSTANTIATED,
        occurred_at=at,
        subject_id=complaint.subject_id,
        subject_kind=complaint.subject_kind,
        details=(("complaint_id", complaint.complaint_id),),
    )
    return concluded, fact


def unsubstantiate_complaint(complaint: Complaint, *, at: dt.datetime, finding: str) -> Complaint:
    at = _next_step_at(complaint, at, expected=ComplaintStatus.ACCEPTED, action="found unsubstantiated")
    return replace(
        complaint, status=ComplaintStatus.UNSUBSTANTIATED, concluded_at=at, finding=_required(finding)
    )


def triage_due_at(complaint: Complaint, rules: ComplaintRules) -> dt.datetime:
    """End (CST) of the calendar day `triage_within_days` after the filing day."""
    return _days_after_filing(complaint, rules.triage_within_days)


def conclusion_due_at(complaint: Complaint, rules: ComplaintRules) -> dt.datetime | None:
    """End (CST) of the day `conclude_within_days` after acceptance; None until the complaint is accepted."""
    if complaint.triaged_at is None or complaint.status is ComplaintStatus.REJECTED:
        return None
    accepted_day = complaint.triaged_at.astimezone(CHINA_STANDARD_TIME).date()
    return end_of_day_cst(accepted_day + dt.timedelta(days=rules.conclude_within_days))


def _days_after_filing(complaint: Complaint, days: int) -> dt.datetime:
    filed_day = complaint.filed_at.astimezone(CHINA_STANDARD_TIME).date()
    return end_of_day_cst(filed_day + dt.timedelta(days=days))


def _next_step_at(
    complaint: Complaint, at: dt.datetime, *, expected: ComplaintStatus, action: str
) -> dt.datetime:
    if complaint.status is not expected:
        raise TransitionNotAllowed(
            f"complaint {complaint.complaint_id} is {complaint.status.value}; only a complaint that is "
            f"{expected.value} can be {action}"
        )
    at = require_aware(at, what="decision time")
    if at < complaint.last_step_at:
        raise InvalidTimestamp(
            f"a complaint step cannot be dated before {complaint.last_step_at.isoformat()}"
        )
    return at


def _required(finding: str) -> str:
    if not finding.strip():
        raise ReasonRequired("record the finding of the investigation")
    return finding.strip()
