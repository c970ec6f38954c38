"""Credit repair (信用修复): an enterprise or agency applies after rectifying, the regulator decides.

Lifecycle: pending -> approved | rejected, decided once. Filing and approval both check eligibility
against the rule table: the fact exists in the subject's record, its cause is repairable, its
rectification period (整改期, `rectification_months`) has passed, and it still counts (not expired, not
already repaired). Approval yields an `ApprovedRepair` for `rating.apply_repair`, which removes the fact's
effect from `effective_from` on and writes a history entry; a rejection changes no rating.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace

from carbon_credit.domain.clock import require_aware
from carbon_credit.domain.errors import (
    DecisionAlreadyMade,
    FactNotFound,
    InvalidTimestamp,
    ReasonRequired,
    RepairNotAllowed,
    RepairNotNeeded,
    RepairTooEarly,
)
from carbon_credit.domain.facts import Fact
from carbon_credit.domain.rating_state import ApprovedRepair, RatingState
from carbon_credit.domain.rules import RuleTable


class RepairStatus(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class RepairApplication:
    repair_id: str
    subject_id: str
    fact_id: str
    filed_at: dt.datetime
    statement: str
    status: RepairStatus = RepairStatus.PENDING
    decided_at: dt.datetime | None = None
    effective_from: dt.datetime | None = None
    rejection_reason: str | None = None


def file_repair(
    *,
    repair_id: str,
    state: RatingState,
    fact_id: str,
    filed_at: dt.datetime,
    statement: str,
    rules: RuleTable,
) -> RepairApplication:
    """A pending application to repair `fact_id`; raises when the fact is not repairable at `filed_at`."""
    filed_at = require_aware(filed_at, what="filed_at")
    if not statement.strip():
        raise ReasonRequired("describe the rectification (整改情况) the repair application rests on")
    check_repairable(state=state, fact_id=fact_id, at=filed_at, rules=rules)
    return RepairApplication(
        repair_id=repair_id,
        subject_id=state.subject_id,
        fact_id=fact_id,
        filed_at=filed_at,
        statement=statement,
    )


def approve_repair(
    *,
    application: RepairApplication,
    state: RatingState,
    decided_at: dt.datetime,
    effective_from: dt.datetime | None = None,
    rules: RuleTable,
) -> tuple[RepairApplication, ApprovedRepair]:
    """Approve: the fact stops counting from `effective_from` (default: the decision instant)."""
    decided_at = _decision_instant(application, decided_at)
    effective = require_aware(effective_from or decided_at, what="effective_from")
    check_repairable(state=state, fact_id=application.fact_id, at=effective, rules=rules)
    approved = replace(
        application, status=RepairStatus.APPROVED, decided_at=decided_at, effective_from=effective
    )
    repair = ApprovedRepair(
        repair_id=application.repair_id,
        subject_id=application.subject_id,
        fact_id=application.fact_id,
        effective_from=effective,
        decided_at=decided_at,
    )
    return approved, repair


def reject_repair(
    *, application: RepairApplication, decided_at: dt.datetime, reason: str
) -> RepairApplication:
    """Reject with a reason the applicant can act on; the rating is untouched."""
    decided_at = _decision_instant(application, decided_at)
    if not reason.strip():
        raise ReasonRequired("a rejected repair needs a reason the applicant can act on")
    return replace(application, status=RepairStatus.REJECTED, decided_at=decided_at, rejection_reason=reason)


def check_repairable(*, state: RatingState, fact_id: str, at: dt.datetime, rules: RuleTable) -> Fact:
    """The fact, if a repair taking effect at `at` is allowed; otherwise the error saying why not."""
    fact = next((f for f in state.facts if f.fact_id == fact_id), None)
    if fact is None:
        raise FactNotFound(f"{state.subject_id} has no recorded fact {fact_id}")
    rule = rules.rule_for(fact.cause, fact.subject_kind)
    if not rule.repairable:
        raise RepairNotAllowed(f"{fact.cause} facts cannot be repaired under rule table {rules.version}")
    earliest = rule.repairable_from(fact.occurred_at)
    if at < earliest:
        raise RepairTooEarly(
            f"{fact.cause} can be repaired after its rectification period of {rule.rectification_months} "
            f"months, i.e. from {earliest.isoformat()}"
        )
    if at >= rule.expires_at(fact.occurred_at):
        raise RepairNotNeeded(
            f"fact {fact_id} stops counting on {rule.expires_at(fact.occurred_at).isoformat()} anyway"
        )
    if any(repair.fact_id == fact_id for repair in state.repairs):
        raise RepairNotNeeded(f"fact {fact_id} has already been repaired")
    return fact


def _decision_instant(application: RepairApplication, decided_at: dt.datetime) -> dt.datetime:
    decided_at = require_aware(decided_at, what="decided_at")
    if application.status is not RepairStatus.PENDING:
        raise DecisionAlreadyMade(f"repair {application.repair_id} was already {application.status.value}")
    if decided_at < application.filed_at:
        raise InvalidTimestamp("a repair cannot be decided before it was filed")
    return decided_at
