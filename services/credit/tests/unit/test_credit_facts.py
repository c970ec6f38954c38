"""Which events bring which facts, and the detection of a refusal to surrender (拒不履约)."""

from __future__ import annotations

import datetime as dt

import pytest

from carbon_credit.domain.errors import InvalidFact, InvalidTimestamp
from carbon_credit.domain.facts import Fact, OpenOverdue, cause_for, detect_surrender_refusals
from carbon_credit.domain.rules import SubjectKind
from carbon_credit.reference import load_rule_table

UTC = dt.UTC
RULES = load_rule_table("2024.1")
# due 31 Dec 2025: the deadline passes at 1 Jan 2026 00:00 CST = 31 Dec 2025 16:00 UTC;
# + 90 days (31 in January, 28 in February, 31 in March) = 31 Mar 2026 16:00 UTC
REFUSED_AT = dt.datetime(2026, 3, 31, 16, tzinfo=UTC)


def overdue(fulfilled_at: dt.datetime | None = None) -> OpenOverdue:
    return OpenOverdue(
        overdue_event_id="ev-1",
        enterprise_id="ent-1",
        year=2024,
        due_date=dt.date(2025, 12, 31),
        fulfilled_at=fulfilled_at,
    )


class TestCauseFor:
    @pytest.mark.parametrize(
        "event_type",
        [
            "ReportOverdue",
            "LedgerOverdue",
            "SurrenderOverdue",
            "DataQualityFlagged",
            "FalsificationSuspected",
        ],
    )
    def test_direct_causes_keep_the_event_type(self, event_type: str) -> None:
        assert cause_for(event_type) == event_type

    def test_agency_violation_kinds(self) -> None:
        assert cause_for("AgencyViolationRecorded", violation="inspection_failed") == (
            "AgencyViolationRecorded.inspection_failed"
        )
        assert (
            cause_for("AgencyViolationRecorded", violation="violation") == "AgencyViolationRecorded.violation"
        )
        with pytest.raises(InvalidFact):
            cause_for("AgencyViolationRecorded", violation="other")

    def test_only_on_time_fulfilment_is_a_fact(self) -> None:
        assert cause_for("ObligationFulfilled", on_time=True) == "ObligationFulfilled.on_time"
        assert cause_for("ObligationFulfilled", on_time=False) is None

    def test_other_events_are_not_facts(self) -> None:
        assert cause_for("ReportVerified") is None


class TestFact:
    def test_occurred_at_is_normalised_to_utc_and_must_be_aware(self) -> None:
        cst = dt.timezone(dt.timedelta(hours=8))
        fact = Fact(
            "e", "LedgerOverdue", dt.datetime(2024, 1, 1, 8, tzinfo=cst), "ent-1", SubjectKind.ENTERPRISE
        )
        assert fact.occurred_at == dt.datetime(2024, 1, 1, tzinfo=UTC)
        with pytest.raises(InvalidTimestamp):
            Fact("e", "LedgerOverdue", dt.datetime(2024, 1, 1), "ent-1", SubjectKind.ENTERPRISE)
        with pytest.raises(InvalidFact):
            Fact(" ", "LedgerOverdue", dt.datetime(2024, 1, 1, tzinfo=UTC), "ent-1", SubjectKind.ENTERPRISE)


class TestDetectSurrenderRefusals:
    def test_not_before_the_refusal_instant(self) -> None:
        assert (
            detect_surrender_refusals(
                overdues=[overdue()], as_of=REFUSED_AT - dt.timedelta(seconds=1), rules=RULES
            )
            == ()
        )

    def test_refusal_fact_occurs_at_the_refusal_instant_whenever_detected(self) -> None:
        (on_time,) = detect_surrender_refusals(overdues=[overdue()], as_of=REFUSED_AT, rules=RULES)
        (late,) = detect_surrender_refusals(
            overdues=[overdue()], as_of=REFUSED_AT + dt.timedelta(days=9), rules=RULES
        )
        assert on_time == late
        assert (on_time.cause, on_time.occurred_at, on_time.subject_id) == (
            "SurrenderRefused",
            REFUSED_AT,
            "ent-1",
        )
        assert on_time.fact_id != "ev-1"

    def test_fulfilment_before_the_refusal_instant_prevents_it(self) -> None:
        just_in_time = overdue(fulfilled_at=REFUSED_AT - dt.timedelta(seconds=1))
        assert detect_surrender_refusals(overdues=[just_in_time], as_of=REFUSED_AT, rules=RULES) == ()

    def test_fulfilment_after_the_refusal_instant_does_not_undo_it(self) -> None:
        too_late = overdue(fulfilled_at=REFUSED_AT)
        assert len(detect_surrender_refusals(overdues=[too_late], as_of=REFUSED_AT, rules=RULES)) == 1
