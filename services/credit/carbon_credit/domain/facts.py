"""Facts: what the rating engine consumes, and which events (or internal decisions) bring one.

A fact's id is the id of the event that brought it (the envelope `event_id`), so a redelivered event is
recognised as a duplicate. Facts the credit service derives itself (a substantiated complaint, a refusal
to surrender) get a deterministic id computed from their origin, so deriving them twice yields the same
id and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from carbon_credit.domain.clock import end_of_day_cst, require_aware
from carbon_credit.domain.errors import InvalidFact
from carbon_credit.domain.rules import RuleTable, SubjectKind

REPORT_OVERDUE = "ReportOverdue"
LEDGER_OVERDUE = "LedgerOverdue"
SURRENDER_OVERDUE = "SurrenderOverdue"
DATA_QUALITY_FLAGGED = "DataQualityFlagged"
FALSIFICATION_SUSPECTED = "FalsificationSuspected"
AGENCY_INSPECTION_FAILED = "AgencyViolationRecorded.inspection_failed"
AGENCY_VIOLATION = "AgencyViolationRecorded.violation"
OBLIGATION_FULFILLED_ON_TIME = "ObligationFulfilled.on_time"
COMPLAINT_SUBSTANTIATED = "ComplaintSubstantiated"
SURRENDER_REFUSED = "SurrenderRefused"

_DIRECT_CAUSES = frozenset(
    {REPORT_OVERDUE, LEDGER_OVERDUE, SURRENDER_OVERDUE, DATA_QUALITY_FLAGGED, FALSIFICATION_SUSPECTED}
)
_AGENCY_CAUSES = {"inspection_failed": AGENCY_INSPECTION_FAILED, "violation": AGENCY_VIOLATION}

# Namespace for ids of facts the credit service derives itself (uuid5 is deterministic).
_DERIVED_FACT_NAMESPACE = uuid.UUID("6f0c2a4e-3b1d-5c8e-9a7f-c0ffee000001")


@dataclass(frozen=True)
class Fact:
    """One rated fact about a subject. `occurred_at` is normalised to UTC and must be timezone-aware.

    `details` are (name, value) pairs kept for display and audit (e.g. ("year", "2024")); the engine
    never reads them.
    """

    fact_id: str
    cause: str
    occurred_at: dt.datetime
    subject_id: str
    subject_kind: SubjectKind
    details: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not self.fact_id.strip():
            raise InvalidFact("a fact needs the id of the event that brought it")
        if not self.subject_id.strip():
            raise InvalidFact(f"fact {self.fact_id} names no subject")
        object.__setattr__(self, "occurred_at", require_aware(self.occurred_at, what="fact occurred_at"))


def cause_for(event_type: str, *, violation: str | None = None, on_time: bool | None = None) -> str | None:
    """The rule-table cause an event brings, or None when the event is not a rated fact.

    `violation` is `AgencyViolationRecorded.violation`; `on_time` is `ObligationFulfilled.on_time`. A
    late fulfilment brings no fact: the `SurrenderOverdue` before it already counts.
    """
    if event_type in _DIRECT_CAUSES:
        return event_type
    if event_type == "AgencyViolationRecorded":
        if violation not in _AGENCY_CAUSES:
            raise InvalidFact(f"unknown agency violation kind {violation!r}")
        return _AGENCY_CAUSES[violation]
    if event_type == "ObligationFulfilled":
        return OBLIGATION_FULFILLED_ON_TIME if on_time else None
    return None


def derived_fact_id(origin: str, *, cause: str) -> str:
    """A deterministic UUID for a fact derived from `origin` (a complaint id, an overdue event id)."""
    return str(uuid.uuid5(_DERIVED_FACT_NAMESPACE, f"{cause}:{origin}"))


@dataclass(frozen=True)
class OpenOverdue:
    """A `SurrenderOverdue` as the credit service tracks it, with the fulfilment that ended it, if any."""

    overdue_event_id: str
    enterprise_id: str
    year: int
    due_date: dt.date
    fulfilled_at: dt.datetime | None = None


def refusal_observed_at(overdue: OpenOverdue, rules: RuleTable) -> dt.datetime:
    """End of the due date (CST) plus the refusal period: from then on, unfulfilled means refused."""
    return end_of_day_cst(overdue.due_date) + dt.timedelta(days=rules.surrender_refusal.days_after_due)


def detect_surrender_refusals(
    *, overdues: Iterable[OpenOverdue], as_of: dt.datetime, rules: RuleTable
) -> tuple[Fact, ...]:
    """Veto facts for obligations still unfulfilled at their refusal instant, if that instant is <= `as_of`.

    The fact occurs at the refusal instant, not when the job runs, and its id derives from the overdue
    event, so running the detection late or twice yields the same facts.
    """
    as_of = require_aware(as_of, what="as_of")
    refusals = []
    for overdue in overdues:
        refused_at = refusal_observed_at(overdue, rules)
        fulfilled_in_time = overdue.fulfilled_at is not None and overdue.fulfilled_at < refused_at
        if refused_at <= as_of and not fulfilled_in_time:
            refusals.append(_refusal_fact(overdue, refused_at))
    return tuple(refusals)


def _refusal_fact(overdue: OpenOverdue, refused_at: dt.datetime) -> Fact:
    return Fact(
        fact_id=derived_fact_id(overdue.overdue_event_id, cause=SURRENDER_REFUSED),
        cause=SURRENDER_REFUSED,
        occurred_at=refused_at,
        subject_id=overdue.enterprise_id,
        subject_kind=SubjectKind.ENTERPRISE,
        details=(
            ("year", str(overdue.year)),
            ("due_date", overdue.due_date.isoformat()),
            ("overdue_event_id", overdue.overdue_event_id),
        ),
    )
