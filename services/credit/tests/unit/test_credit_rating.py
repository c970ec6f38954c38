"""The rating engine: points and levels per fact, vetoes, expiry, duplicates, late facts, rule changes.

Rule table 2024.1 (shipped): LedgerOverdue 2 points/12 months, ReportOverdue 10/24, SurrenderOverdue
20/24, FalsificationSuspected veto 30/36, ObligationFulfilled.on_time -2/12; green < 1 <= blue < 12 <=
yellow < 30 <= red.
"""

from __future__ import annotations

import datetime as dt

import pytest

from carbon_credit.domain.errors import FactNotApplicable, SubjectMismatch, UnknownFactCause
from carbon_credit.domain.facts import Fact
from carbon_credit.domain.rating import advance, apply, new_rating, replay
from carbon_credit.domain.rating_state import EntryKind, RatingState
from carbon_credit.domain.rules import Level, RuleTable, SubjectKind
from carbon_credit.reference import load_rule_table, parse_rule_table

UTC = dt.UTC
RULES = load_rule_table("2024.1")
# A second table, as a regulator might publish it: ledgers weigh more but count for 6 months only.
RULES_V2 = parse_rule_table(
    """
version = "test-2.0"
source = "test: a stricter table"
effective_from = 2025-01-01
[levels]
blue_from_points = 1
yellow_from_points = 10
red_from_points = 25
[surrender_refusal]
days_after_due = 60
[facts.LedgerOverdue]
description = "late ledger"
points = 6
veto = false
validity_months = 6
rectification_months = 2
repairable = true
subjects = ["enterprise"]
[facts.ReportOverdue]
description = "late report"
points = 10
veto = false
validity_months = 24
rectification_months = 3
repairable = true
subjects = ["enterprise"]
"""
)
MARCH_10 = dt.datetime(2024, 3, 10, 2, tzinfo=UTC)  # 10:00 CST


def fact(fact_id: str, cause: str, at: dt.datetime, subject: str = "ent-1") -> Fact:
    kind = SubjectKind.AGENCY if cause.startswith("Agency") else SubjectKind.ENTERPRISE
    return Fact(fact_id=fact_id, cause=cause, occurred_at=at, subject_id=subject, subject_kind=kind)


def enterprise(rules: RuleTable = RULES) -> RatingState:
    return new_rating(subject_id="ent-1", subject_kind=SubjectKind.ENTERPRISE, rules=rules)


def apply_all(state: RatingState, *facts: Fact, rules: RuleTable = RULES) -> RatingState:
    for item in facts:
        state = apply(state, item, rules).state
    return state


class TestNewRating:
    def test_starts_green_with_zero_points_and_no_history(self) -> None:
        state = enterprise()
        assert (state.level, state.points, state.history, state.rule_version) == (
            Level.GREEN,
            0,
            (),
            "2024.1",
        )


class TestApplyFact:
    def test_late_ledger_lowers_green_to_blue(self) -> None:
        applied = apply(enterprise(), fact("e1", "LedgerOverdue", MARCH_10), RULES)
        assert (applied.state.level, applied.state.points) == (Level.BLUE, 2)  # 0 + 2 >= 1
        (entry,) = applied.entries
        assert (entry.at, entry.cause_event_id, entry.cause, entry.kind) == (
            MARCH_10,
            "e1",
            "LedgerOverdue",
            EntryKind.FACT,
        )
        assert (entry.level_before, entry.level_after, entry.points, entry.rule_version) == (
            Level.GREEN,
            Level.BLUE,
            2,
            "2024.1",
        )
        assert applied.level_changes == (entry,)
        assert applied.rewritten is False

    def test_late_report_and_ledger_reach_yellow(self) -> None:
        state = apply_all(
            enterprise(),
            fact("e1", "ReportOverdue", MARCH_10),
            fact("e2", "LedgerOverdue", MARCH_10 + dt.timedelta(1)),
        )
        assert (state.level, state.points) == (Level.YELLOW, 12)  # 10 + 2 = 12 >= 12

    def test_surrender_overdue_lowers_to_yellow_and_twice_to_red(self) -> None:
        once = apply_all(enterprise(), fact("s1", "SurrenderOverdue", MARCH_10))
        assert (once.level, once.points) == (Level.YELLOW, 20)
        twice = apply_all(once, fact("s2", "SurrenderOverdue", MARCH_10 + dt.timedelta(days=30)))
        assert (twice.level, twice.points) == (Level.RED, 40)  # 20 + 20 = 40 >= 30

    def test_falsification_is_a_veto_straight_to_red(self) -> None:
        applied = apply(enterprise(), fact("f1", "FalsificationSuspected", MARCH_10), RULES)
        assert applied.state.level is Level.RED
        assert applied.entries[0].level_before is Level.GREEN

    def test_veto_keeps_red_even_when_points_fall_below_red(self) -> None:
        state = apply_all(
            enterprise(),
            fact("f1", "FalsificationSuspected", MARCH_10),
            fact("ok", "ObligationFulfilled.on_time", MARCH_10 + dt.timedelta(days=1)),
        )
        assert (state.level, state.points) == (Level.RED, 28)  # 30 - 2 = 28 < 30, red by veto

    def test_positive_fact_never_rates_better_than_zero_and_offsets_later_penalties(self) -> None:
        on_time = apply(enterprise(), fact("ok", "ObligationFulfilled.on_time", MARCH_10), RULES)
        assert (on_time.state.level, on_time.state.points) == (Level.GREEN, 0)  # max(0, -2)
        assert on_time.entries[0].level_changed is False  # still recorded in the history
        ledger = apply(on_time.state, fact("e1", "LedgerOverdue", MARCH_10 + dt.timedelta(days=1)), RULES)
        assert (ledger.state.level, ledger.state.points) == (Level.GREEN, 0)  # max(0, -2 + 2)
        second = apply(ledger.state, fact("e2", "LedgerOverdue", MARCH_10 + dt.timedelta(days=2)), RULES)
        assert (second.state.level, second.state.points) == (Level.BLUE, 2)  # -2 + 2 + 2

    def test_agency_violation_rates_an_agency(self) -> None:
        agency = new_rating(subject_id="ag-1", subject_kind=SubjectKind.AGENCY, rules=RULES)
        state = apply(agency, fact("v1", "AgencyViolationRecorded.violation", MARCH_10, "ag-1"), RULES).state
        assert (state.level, state.points) == (Level.YELLOW, 20)

    def test_duplicate_fact_id_changes_nothing(self) -> None:
        first = apply(enterprise(), fact("e1", "SurrenderOverdue", MARCH_10), RULES)
        again = apply(first.state, fact("e1", "SurrenderOverdue", MARCH_10), RULES)
        assert again.state is first.state
        assert again.entries == ()

    def test_errors(self) -> None:
        with pytest.raises(UnknownFactCause, match="ReportLate"):
            apply(enterprise(), fact("x", "ReportLate", MARCH_10), RULES)
        with pytest.raises(FactNotApplicable):
            apply(
                enterprise(),
                Fact("x", "AgencyViolationRecorded.violation", MARCH_10, "ent-1", SubjectKind.ENTERPRISE),
                RULES,
            )
        with pytest.raises(SubjectMismatch):
            apply(enterprise(), fact("x", "LedgerOverdue", MARCH_10, subject="ent-2"), RULES)


class TestExpiry:
    # The ledger of 10 Mar 2024 10:00 CST counts for 12 months: until 10 Mar 2025 10:00 CST (02:00 UTC).
    EXPIRES = dt.datetime(2025, 3, 10, 2, tzinfo=UTC)

    def test_advance_observes_the_expiry_at_its_own_instant(self) -> None:
        state = apply_all(enterprise(), fact("e1", "LedgerOverdue", MARCH_10))
        before = advance(state, as_of=self.EXPIRES - dt.timedelta(seconds=1), rules=RULES)
        assert (before.state.level, before.entries) == (Level.BLUE, ())
        at = advance(before.state, as_of=self.EXPIRES, rules=RULES)
        (entry,) = at.entries
        assert (entry.kind, entry.at, entry.cause, entry.cause_event_id) == (
            EntryKind.EXPIRY,
            self.EXPIRES,
            "FactExpired",
            "e1",
        )
        assert (entry.level_before, entry.level_after, at.state.points) == (Level.BLUE, Level.GREEN, 0)

    def test_the_next_fact_observes_earlier_expiries_first(self) -> None:
        state = apply_all(enterprise(), fact("e1", "LedgerOverdue", MARCH_10))
        applied = apply(state, fact("e2", "ReportOverdue", dt.datetime(2025, 4, 1, tzinfo=UTC)), RULES)
        assert [(e.kind, e.at, e.points) for e in applied.entries] == [
            (EntryKind.EXPIRY, self.EXPIRES, 0),  # 2 - 2
            (EntryKind.FACT, dt.datetime(2025, 4, 1, tzinfo=UTC), 10),
        ]

    def test_a_fact_at_the_expiry_instant_comes_after_the_expiry(self) -> None:
        state = apply_all(
            enterprise(), fact("e1", "LedgerOverdue", MARCH_10), fact("e2", "LedgerOverdue", self.EXPIRES)
        )
        assert [(e.kind, e.points) for e in state.history] == [
            (EntryKind.FACT, 2),
            (EntryKind.EXPIRY, 0),
            (EntryKind.FACT, 2),
        ]

    def test_advance_to_an_instant_already_observed_changes_nothing(self) -> None:
        state = apply_all(enterprise(), fact("e1", "LedgerOverdue", MARCH_10))
        assert advance(state, as_of=MARCH_10 - dt.timedelta(days=1), rules=RULES).state is state


class TestOutOfOrderArrival:
    def test_a_late_fact_rewrites_the_history_as_replay_would(self) -> None:
        ledger = fact("e2", "LedgerOverdue", MARCH_10)
        report = fact("e1", "ReportOverdue", MARCH_10 - dt.timedelta(days=20))
        state = apply_all(enterprise(), ledger)
        applied = apply(state, report, RULES)
        assert applied.rewritten is True
        assert applied.history_from == 0
        assert [
            (e.cause_event_id, e.level_before, e.level_after, e.points) for e in applied.state.history
        ] == [
            ("e1", Level.GREEN, Level.BLUE, 10),
            ("e2", Level.BLUE, Level.YELLOW, 12),  # 10 + 2
        ]
        assert applied.state == replay(
            subject_id="ent-1", subject_kind=SubjectKind.ENTERPRISE, facts=[ledger, report], rules=RULES
        )

    def test_a_late_fact_within_the_same_instant_is_ordered_by_id(self) -> None:
        state = apply_all(
            enterprise(), fact("b", "LedgerOverdue", MARCH_10), fact("a", "ReportOverdue", MARCH_10)
        )
        assert [e.cause_event_id for e in state.history] == ["a", "b"]


class TestReplay:
    def test_replay_sorts_by_time_then_id_and_ignores_duplicates(self) -> None:
        facts = [
            fact("e3", "LedgerOverdue", MARCH_10 + dt.timedelta(days=2)),
            fact("e2", "LedgerOverdue", MARCH_10),
            fact("e1", "LedgerOverdue", MARCH_10),
            fact("e2", "LedgerOverdue", MARCH_10),
        ]
        state = replay(subject_id="ent-1", subject_kind=SubjectKind.ENTERPRISE, facts=facts, rules=RULES)
        assert [e.cause_event_id for e in state.history] == ["e1", "e2", "e3"]
        assert state.points == 6  # 3 distinct ledgers x 2

    def test_replay_equals_the_incremental_path_including_expiries_up_to_as_of(self) -> None:
        facts = [
            fact("e1", "LedgerOverdue", MARCH_10),
            fact("e2", "ReportOverdue", MARCH_10 + dt.timedelta(200)),
        ]
        incremental = advance(
            apply_all(enterprise(), *facts), as_of=dt.datetime(2026, 1, 1, tzinfo=UTC), rules=RULES
        )
        replayed = replay(
            subject_id="ent-1",
            subject_kind=SubjectKind.ENTERPRISE,
            facts=reversed(facts),
            rules=RULES,
            as_of=incremental.state.observed_until,
        )
        assert replayed == incremental.state

    def test_replay_under_another_rule_table_gives_its_result(self) -> None:
        facts = [
            fact("e1", "LedgerOverdue", MARCH_10),
            fact("e2", "LedgerOverdue", MARCH_10 + dt.timedelta(days=1)),
        ]
        v1 = replay(subject_id="ent-1", subject_kind=SubjectKind.ENTERPRISE, facts=facts, rules=RULES)
        v2 = replay(subject_id="ent-1", subject_kind=SubjectKind.ENTERPRISE, facts=facts, rules=RULES_V2)
        assert (v1.level, v1.points) == (Level.BLUE, 4)  # 2 + 2 under 2024.1
        assert (v2.level, v2.points) == (Level.YELLOW, 12)  # 6 + 6 >= 10 under test-2.0
        assert {e.rule_version for e in v2.history} == {"test-2.0"}


class TestRuleTableChange:
    def test_applying_with_a_new_table_recomputes_the_subject_under_it(self) -> None:
        state = apply_all(enterprise(), fact("e1", "LedgerOverdue", MARCH_10))
        applied = apply(state, fact("e2", "LedgerOverdue", MARCH_10 + dt.timedelta(days=1)), RULES_V2)
        assert applied.rewritten is True
        assert (applied.state.rule_version, applied.state.level, applied.state.points) == (
            "test-2.0",
            Level.YELLOW,
            12,
        )

    def test_advance_with_a_new_table_uses_its_validity(self) -> None:
        state = apply_all(enterprise(), fact("e1", "LedgerOverdue", MARCH_10))
        # under test-2.0 a ledger counts 6 months: until 10 Sep 2024 02:00 UTC
        applied = advance(state, as_of=dt.datetime(2024, 9, 10, 2, tzinfo=UTC), rules=RULES_V2)
        assert [(e.kind, e.at) for e in applied.state.history] == [
            (EntryKind.FACT, MARCH_10),
            (EntryKind.EXPIRY, dt.datetime(2024, 9, 10, 2, tzinfo=UTC)),
        ]
