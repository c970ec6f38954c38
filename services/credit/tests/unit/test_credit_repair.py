"""Credit repair (信用修复): eligibility, approval removing a fact's effect from a date on, rejection.

SurrenderOverdue under 2024.1: 20 points, counts 24 months, repairable after 6 months.
"""

from __future__ import annotations

import datetime as dt

import pytest

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
from carbon_credit.domain.rating import apply, apply_repair, new_rating, replay
from carbon_credit.domain.rating_state import EntryKind, RatingState
from carbon_credit.domain.repair import (
    RepairApplication,
    RepairStatus,
    approve_repair,
    file_repair,
    reject_repair,
)
from carbon_credit.domain.rules import Level, SubjectKind
from carbon_credit.reference import load_rule_table

UTC = dt.UTC
RULES = load_rule_table("2024.1")
JAN_15 = dt.datetime(2024, 1, 15, 2, tzinfo=UTC)  # 10:00 CST
ELIGIBLE = dt.datetime(2024, 7, 15, 2, tzinfo=UTC)  # JAN_15 + 6 months
AUG_1 = dt.datetime(2024, 8, 1, tzinfo=UTC)
AUG_5 = dt.datetime(2024, 8, 5, tzinfo=UTC)


def with_facts(*facts: tuple[str, str, dt.datetime]) -> RatingState:
    state = new_rating(subject_id="ent-1", subject_kind=SubjectKind.ENTERPRISE, rules=RULES)
    for fact_id, cause, at in facts:
        fact = Fact(
            fact_id=fact_id,
            cause=cause,
            occurred_at=at,
            subject_id="ent-1",
            subject_kind=SubjectKind.ENTERPRISE,
        )
        state = apply(state, fact, RULES).state
    return state


def overdue_state() -> RatingState:
    return with_facts(("s1", "SurrenderOverdue", JAN_15))


def application(
    state: RatingState, *, filed_at: dt.datetime = AUG_1, fact_id: str = "s1"
) -> RepairApplication:
    return file_repair(
        repair_id="r1",
        state=state,
        fact_id=fact_id,
        filed_at=filed_at,
        statement="surrendered in full",
        rules=RULES,
    )


class TestFileRepair:
    def test_pending_application_after_the_rectification_period(self) -> None:
        filed = application(overdue_state())
        assert (filed.status, filed.fact_id, filed.subject_id) == (RepairStatus.PENDING, "s1", "ent-1")

    def test_exactly_at_the_end_of_the_rectification_period_is_allowed(self) -> None:
        assert application(overdue_state(), filed_at=ELIGIBLE).status is RepairStatus.PENDING

    def test_too_early_names_the_first_allowed_instant(self) -> None:
        with pytest.raises(RepairTooEarly, match="2024-07-15T02:00:00"):
            application(overdue_state(), filed_at=ELIGIBLE - dt.timedelta(seconds=1))

    def test_unknown_fact(self) -> None:
        with pytest.raises(FactNotFound):
            application(overdue_state(), fact_id="nope")

    def test_positive_fact_cannot_be_repaired(self) -> None:
        state = with_facts(("ok", "ObligationFulfilled.on_time", JAN_15))
        with pytest.raises(RepairNotAllowed):
            application(state, fact_id="ok")

    def test_expired_fact_needs_no_repair(self) -> None:
        # a ledger of 15 Jan 2024 counts 12 months: until 15 Jan 2025 02:00 UTC
        state = with_facts(("l1", "LedgerOverdue", JAN_15))
        with pytest.raises(RepairNotNeeded, match="2025-01-15T02:00:00"):
            application(state, fact_id="l1", filed_at=dt.datetime(2025, 1, 15, 2, tzinfo=UTC))

    def test_statement_required(self) -> None:
        with pytest.raises(ReasonRequired):
            file_repair(
                repair_id="r1",
                state=overdue_state(),
                fact_id="s1",
                filed_at=AUG_1,
                statement=" ",
                rules=RULES,
            )


class TestApproveRepair:
    def test_approval_removes_the_effect_from_the_decision_on_and_is_history(self) -> None:
        state = overdue_state()
        decided, repair = approve_repair(
            application=application(state), state=state, decided_at=AUG_5, rules=RULES
        )
        assert (decided.status, decided.effective_from, repair.effective_from) == (
            RepairStatus.APPROVED,
            AUG_5,
            AUG_5,
        )
        applied = apply_repair(state, repair, RULES)
        (entry,) = applied.entries
        assert (entry.kind, entry.at, entry.cause, entry.cause_event_id, entry.fact_id) == (
            EntryKind.REPAIR,
            AUG_5,
            "CreditRepaired",
            "r1",
            "s1",
        )
        assert (entry.level_before, entry.level_after, entry.points_before, entry.points) == (
            Level.YELLOW,
            Level.GREEN,
            20,
            0,  # 20 - 20
        )

    def test_a_repaired_fact_does_not_expire_again_and_cannot_be_repaired_twice(self) -> None:
        state = overdue_state()
        _, repair = approve_repair(application=application(state), state=state, decided_at=AUG_5, rules=RULES)
        repaired = apply_repair(state, repair, RULES).state
        assert repaired.counting == ()
        with pytest.raises(RepairNotNeeded, match="already been repaired"):
            file_repair(
                repair_id="r2", state=repaired, fact_id="s1", filed_at=AUG_5, statement="x", rules=RULES
            )
        assert apply_repair(repaired, repair, RULES).state is repaired  # duplicate delivery

    def test_retroactive_effective_date_rewrites_later_history(self) -> None:
        state = with_facts(
            ("s1", "SurrenderOverdue", JAN_15), ("l1", "LedgerOverdue", dt.datetime(2024, 9, 1, tzinfo=UTC))
        )
        decided_at = dt.datetime(2024, 9, 10, tzinfo=UTC)
        _, repair = approve_repair(
            application=application(state),
            state=state,
            decided_at=decided_at,
            effective_from=AUG_1,
            rules=RULES,
        )
        applied = apply_repair(state, repair, RULES)
        assert (applied.rewritten, applied.history_from) == (True, 1)
        assert [(e.kind, e.level_after, e.points) for e in applied.state.history] == [
            (EntryKind.FACT, Level.YELLOW, 20),
            (EntryKind.REPAIR, Level.GREEN, 0),
            (EntryKind.FACT, Level.BLUE, 2),  # only the ledger counts: 2
        ]
        assert applied.state == replay(
            subject_id="ent-1",
            subject_kind=SubjectKind.ENTERPRISE,
            facts=state.facts,
            repairs=[repair],
            rules=RULES,
        )

    def test_effective_date_before_the_rectification_period_is_refused(self) -> None:
        state = overdue_state()
        with pytest.raises(RepairTooEarly):
            approve_repair(
                application=application(state),
                state=state,
                decided_at=AUG_5,
                effective_from=JAN_15,
                rules=RULES,
            )

    def test_decision_before_filing_is_refused(self) -> None:
        state = overdue_state()
        with pytest.raises(InvalidTimestamp):
            approve_repair(
                application=application(state), state=state, decided_at=AUG_1 - dt.timedelta(1), rules=RULES
            )


class TestRejectRepair:
    def test_rejection_records_the_reason_and_is_final(self) -> None:
        state = overdue_state()
        rejected = reject_repair(application=application(state), decided_at=AUG_5, reason="fine not yet paid")
        assert (rejected.status, rejected.rejection_reason) == (RepairStatus.REJECTED, "fine not yet paid")
        with pytest.raises(DecisionAlreadyMade):
            approve_repair(application=rejected, state=state, decided_at=AUG_5, rules=RULES)
        assert (state.level, state.points) == (Level.YELLOW, 20)  # the rating is untouched

    def test_rejection_needs_a_reason(self) -> None:
        with pytest.raises(ReasonRequired):
            reject_repair(application=application(overdue_state()), decided_at=AUG_5, reason="")
