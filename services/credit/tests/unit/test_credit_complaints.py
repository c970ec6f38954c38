"""Complaints (投诉举报): the state machine, its errors, handling deadlines and the fact it produces."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from carbon_credit.domain.complaints import (
    Complaint,
    ComplaintStatus,
    accept_complaint,
    conclusion_due_at,
    file_complaint,
    reject_complaint,
    substantiate_complaint,
    triage_due_at,
    unsubstantiate_complaint,
)
from carbon_credit.domain.errors import (
    InvalidComplaint,
    InvalidTimestamp,
    ReasonRequired,
    TransitionNotAllowed,
)
from carbon_credit.domain.rating import apply, new_rating
from carbon_credit.domain.rules import Level, SubjectKind
from carbon_credit.reference import load_complaint_rules, load_rule_table

UTC = dt.UTC
RULES = load_complaint_rules()
FILED = dt.datetime(2024, 5, 10, 3, tzinfo=UTC)  # 11:00 CST on 10 May
ACCEPTED = dt.datetime(2024, 5, 20, 1, tzinfo=UTC)  # 09:00 CST on 20 May


def filed(subject_kind: SubjectKind = SubjectKind.ENTERPRISE) -> Complaint:
    return file_complaint(
        complaint_id="c1",
        subject_id="ent-1",
        subject_kind=subject_kind,
        description="  smoke at night, meters switched off  ",
        filed_at=FILED,
        rules=RULES,
    )


class TestFileComplaint:
    def test_new_complaint_is_filed_with_trimmed_text(self) -> None:
        complaint = filed()
        assert (complaint.status, complaint.description) == (
            ComplaintStatus.FILED,
            "smoke at night, meters switched off",
        )

    def test_empty_or_too_long_description(self) -> None:
        with pytest.raises(InvalidComplaint, match="empty"):
            file_complaint(
                complaint_id="c",
                subject_id="e",
                subject_kind=SubjectKind.AGENCY,
                description=" ",
                filed_at=FILED,
                rules=RULES,
            )
        with pytest.raises(InvalidComplaint, match="2001 characters"):
            file_complaint(
                complaint_id="c",
                subject_id="e",
                subject_kind=SubjectKind.AGENCY,
                description="x" * 2001,
                filed_at=FILED,
                rules=RULES,
            )

    def test_triage_is_due_15_days_after_the_filing_day(self) -> None:
        # filed 10 May (CST) + 15 days = 25 May; end of 25 May CST = 25 May 16:00 UTC
        assert triage_due_at(filed(), RULES) == dt.datetime(2024, 5, 25, 16, tzinfo=UTC)


class TestTriage:
    def test_accept(self) -> None:
        accepted = accept_complaint(filed(), at=ACCEPTED)
        assert (accepted.status, accepted.triaged_at) == (ComplaintStatus.ACCEPTED, ACCEPTED)
        # 20 May + 60 days = 19 Jul (11 days to 31 May, 30 in June, 19 in July); end = 19 Jul 16:00 UTC
        assert conclusion_due_at(accepted, RULES) == dt.datetime(2024, 7, 19, 16, tzinfo=UTC)

    def test_reject_needs_a_reason_and_ends_the_complaint(self) -> None:
        with pytest.raises(ReasonRequired):
            reject_complaint(filed(), at=ACCEPTED, reason=" ")
        rejected = reject_complaint(filed(), at=ACCEPTED, reason="not within the ecology bureau's remit")
        assert (rejected.status, rejected.rejection_reason) == (
            ComplaintStatus.REJECTED,
            "not within the ecology bureau's remit",
        )
        assert conclusion_due_at(rejected, RULES) is None
        with pytest.raises(TransitionNotAllowed, match="rejected"):
            accept_complaint(rejected, at=ACCEPTED)

    def test_cannot_be_triaged_before_it_was_filed_or_twice(self) -> None:
        with pytest.raises(InvalidTimestamp):
            accept_complaint(filed(), at=FILED - dt.timedelta(seconds=1))
        with pytest.raises(TransitionNotAllowed):
            accept_complaint(accept_complaint(filed(), at=ACCEPTED), at=ACCEPTED)


class TestConclude:
    def test_substantiated_complaint_becomes_a_fact_that_lowers_the_rating(self) -> None:
        concluded_at = ACCEPTED + dt.timedelta(days=10)
        complaint, fact = substantiate_complaint(
            accept_complaint(filed(), at=ACCEPTED), at=concluded_at, finding="meters bypassed"
        )
        assert (complaint.status, complaint.finding) == (ComplaintStatus.SUBSTANTIATED, "meters bypassed")
        assert (fact.cause, fact.occurred_at, fact.subject_id) == (
            "ComplaintSubstantiated",
            concluded_at,
            "ent-1",
        )
        rules = load_rule_table("2024.1")
        state = new_rating(subject_id="ent-1", subject_kind=SubjectKind.ENTERPRISE, rules=rules)
        rated = apply(state, fact, rules).state
        assert (rated.level, rated.points) == (Level.BLUE, 5)

    def test_the_fact_id_is_the_same_when_derived_twice(self) -> None:
        accepted = accept_complaint(filed(), at=ACCEPTED)
        _, first = substantiate_complaint(accepted, at=ACCEPTED, finding="x")
        _, second = substantiate_complaint(accepted, at=ACCEPTED, finding="x")
        assert first.fact_id == second.fact_id
        _, other = substantiate_complaint(
            accept_complaint(replace(filed(), complaint_id="c2"), at=ACCEPTED),
            at=ACCEPTED,
            finding="x",
        )
        assert other.fact_id != first.fact_id

    def test_unsubstantiated_produces_no_fact_and_needs_a_finding(self) -> None:
        accepted = accept_complaint(filed(), at=ACCEPTED)
        with pytest.raises(ReasonRequired):
            unsubstantiate_complaint(accepted, at=ACCEPTED, finding="")
        closed = unsubstantiate_complaint(accepted, at=ACCEPTED, finding="no emissions found")
        assert closed.status is ComplaintStatus.UNSUBSTANTIATED

    def test_a_filed_complaint_cannot_be_concluded_before_triage(self) -> None:
        with pytest.raises(TransitionNotAllowed, match="only a complaint that is accepted"):
            substantiate_complaint(filed(), at=ACCEPTED, finding="x")
