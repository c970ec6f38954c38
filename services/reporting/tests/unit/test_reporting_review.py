"""The working-day window after a verification, the review request (复核), and a banned agency's result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from carbon_reporting.domain.deadlines import review_window_after
from carbon_reporting.domain.errors import (
    ActionForbidden,
    AgencyNotAssignable,
    ReportNotFound,
    ReviewWindowClosed,
    TransitionRefused,
)
from carbon_reporting.domain.lifecycle import (
    AgencyStanding,
    Conclusion,
    Report,
    ReportStatus,
    record_verification,
    request_review,
)
from carbon_reporting.domain.policy import Action, Actor, Role
from carbon_reporting.reference import load_deadline_rules, load_holiday_calendars

AT = dt.datetime(2025, 10, 9, 2, 0, tzinfo=dt.UTC)
OWNER = Actor("u-owner", Role.ENTERPRISE, enterprise_id="E1")
STRANGER = Actor("u-other", Role.ENTERPRISE, enterprise_id="E2")
REGULATOR = Actor("u-reg", Role.REGULATOR)
VERIFIER = Actor("u-ver", Role.VERIFIER, agency_id="A1")
REGION = Actor("u-region", Role.REGION)
VERIFIED = Report("R1", "E1", 2024, ReportStatus.VERIFIED, 1, "A1", None, Decimal("199650.00"))
IN_VERIFICATION = Report("R1", "E1", 2024, ReportStatus.IN_VERIFICATION, 0, "A1")


class TestReviewWindow:
    def test_seven_working_days_skip_national_day_and_count_the_makeup_saturday(self) -> None:
        # Tue 30 Sep 2025; 1-8 Oct off; 9, 10, Sat 11 (调休), 13, 14, 15, 16 Oct are the 7 working days.
        window = review_window_after(
            verified_on=dt.date(2025, 9, 30), rules=load_deadline_rules(), calendars=load_holiday_calendars()
        )
        assert (window.feedback_due, window.review_request_due) == (
            dt.date(2025, 10, 16),
            dt.date(2025, 10, 16),
        )

    def test_an_ordinary_week_is_seven_weekdays_later(self) -> None:
        window = review_window_after(
            verified_on=dt.date(2025, 3, 3), rules=load_deadline_rules(), calendars=load_holiday_calendars()
        )
        assert window.review_request_due == dt.date(2025, 3, 12)


class TestRequestReview:
    def _ask(self, *, on: dt.date, report: Report = VERIFIED, actor: Actor = OWNER, reason: str = "复核"):  # type: ignore[no-untyped-def]
        return request_review(
            report=report, actor=actor, reason=reason, on=on, window_closes=dt.date(2025, 10, 16), at=AT
        )

    def test_owner_asks_on_the_last_day_and_it_goes_on_the_record(self) -> None:
        step = self._ask(on=dt.date(2025, 10, 16))
        assert step.report == VERIFIED
        assert (step.record.action, step.record.opinion, step.record.to_status) == (
            Action.REQUEST_REVIEW,
            "复核",
            ReportStatus.VERIFIED,
        )

    def test_the_day_after_the_window_is_refused(self) -> None:
        with pytest.raises(ReviewWindowClosed, match="2025-10-16"):
            self._ask(on=dt.date(2025, 10, 17))

    def test_only_a_verified_report_of_ones_own_with_a_reason(self) -> None:
        with pytest.raises(TransitionRefused):
            self._ask(on=dt.date(2025, 10, 10), report=IN_VERIFICATION)
        with pytest.raises(ReportNotFound):
            self._ask(on=dt.date(2025, 10, 10), actor=STRANGER)
        with pytest.raises(ActionForbidden):
            self._ask(on=dt.date(2025, 10, 10), actor=REGULATOR)
        with pytest.raises(Exception, match="must not be empty"):
            self._ask(on=dt.date(2025, 10, 10), reason=" ")


class TestResultOfABannedAgency:
    def _record(self, actor: Actor, agency: AgencyStanding | None, report: Report = IN_VERIFICATION):  # type: ignore[no-untyped-def]
        return record_verification(
            report=report,
            actor=actor,
            conclusion=Conclusion.ACCEPTED,
            verified_emissions_tco2e=Decimal("199650"),
            opinion="符合",
            at=AT,
            agency=agency,
            on=dt.date(2025, 10, 9),
        )

    def test_verifier_of_an_agency_banned_since_assignment_is_refused(self) -> None:
        banned = AgencyStanding("A1", "verification", dt.date(2025, 10, 9))
        with pytest.raises(AgencyNotAssignable, match="barred until 2025-10-09"):
            self._record(VERIFIER, banned)

    def test_a_ban_that_ended_the_day_before_does_not_stop_it(self) -> None:
        ended = AgencyStanding("A1", "verification", dt.date(2025, 10, 8))
        assert self._record(VERIFIER, ended).report.status is ReportStatus.VERIFIED

    def test_the_region_may_still_record_the_result(self) -> None:
        banned = AgencyStanding("A1", "verification", dt.date(2999, 12, 31))
        assert self._record(REGION, banned).report.revision == 1
