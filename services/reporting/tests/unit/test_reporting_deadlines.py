"""Deadlines (DOMAIN rule 3), working days on the State Council calendar, and the overdue check."""

from __future__ import annotations

import datetime as dt

import pytest

from carbon_reporting.domain.deadlines import (
    FilingStatus,
    OverdueKind,
    add_working_days,
    cst_date,
    find_overdue,
    is_overdue_at,
    is_overdue_on,
    is_working_day,
    ledger_due_date,
    ledger_months_of,
    overdue_from,
    report_due_date,
    review_request_due,
    verification_feedback_due,
)
from carbon_reporting.domain.errors import InvalidInput, ReferenceYearMissing
from carbon_reporting.reference import load_deadline_rules, load_holiday_calendars

RULES = load_deadline_rules("2023.1")
CALENDARS = load_holiday_calendars()
D = dt.date


class TestDueDates:
    def test_report_due_31_march_next_year(self) -> None:
        assert report_due_date(year=2024, rules=RULES) == D(2025, 3, 31)

    @pytest.mark.parametrize(
        ("year", "month", "due"),
        [
            (2024, 1, D(2024, 3, 11)),  # 31 Jan + 40: +29 -> 29 Feb (leap), +11 -> 11 Mar
            (2023, 2, D(2023, 4, 9)),  # 28 Feb + 40: +31 -> 31 Mar, +9 -> 9 Apr
            (2024, 2, D(2024, 4, 9)),  # 29 Feb + 40: +31 -> 31 Mar, +9 -> 9 Apr
            (2024, 12, D(2025, 2, 9)),  # 31 Dec + 40: +31 -> 31 Jan, +9 -> 9 Feb
        ],
    )
    def test_ledger_due_40_days_after_month_end(self, year: int, month: int, due: dt.date) -> None:
        assert ledger_due_date(year=year, month=month, rules=RULES) == due

    def test_bad_month(self) -> None:
        with pytest.raises(InvalidInput, match="month"):
            ledger_due_date(year=2024, month=13, rules=RULES)


class TestOverdueAtInstant:
    def test_end_of_day_cst_is_16_utc(self) -> None:
        assert overdue_from(due=D(2025, 3, 31), rules=RULES) == dt.datetime(2025, 3, 31, 16, tzinfo=dt.UTC)

    def test_last_second_is_on_time_and_the_next_is_late(self) -> None:
        due = D(2025, 3, 31)
        on_time = dt.datetime(2025, 3, 31, 15, 59, 59, 999999, tzinfo=dt.UTC)
        assert not is_overdue_at(due=due, as_of=on_time, rules=RULES)
        assert is_overdue_at(due=due, as_of=on_time + dt.timedelta(microseconds=1), rules=RULES)

    def test_naive_instant_is_refused(self) -> None:
        with pytest.raises(InvalidInput):
            is_overdue_at(due=D(2025, 3, 31), as_of=dt.datetime(2025, 4, 1), rules=RULES)

    def test_cst_date_of_an_instant(self) -> None:
        # 31 Mar 16:30 UTC is 1 Apr 00:30 CST
        assert cst_date(instant=dt.datetime(2025, 3, 31, 16, 30, tzinfo=dt.UTC), rules=RULES) == D(2025, 4, 1)

    def test_overdue_on_a_cst_date_only_from_the_next_day(self) -> None:
        assert not is_overdue_on(due=D(2025, 3, 31), as_of=D(2025, 3, 31))
        assert is_overdue_on(due=D(2025, 3, 31), as_of=D(2025, 4, 1))


class TestWorkingDays:
    @pytest.mark.parametrize(
        ("day", "working"),
        [
            (D(2024, 2, 4), True),  # Sunday make-up workday before Spring Festival
            (D(2024, 2, 12), False),  # Monday in Spring Festival
            (D(2024, 3, 4), True),  # ordinary Monday
            (D(2024, 3, 9), False),  # ordinary Saturday
            (D(2026, 1, 4), True),  # Sunday make-up workday after New Year 2026
        ],
    )
    def test_is_working_day(self, day: dt.date, working: bool) -> None:
        assert is_working_day(day=day, calendars=CALENDARS) is working

    def test_plain_weeks(self) -> None:
        # Fri 1 Mar 2024: Mon 4..Fri 8 = 5, Mon 11 = 6, Tue 12 = 7
        assert add_working_days(start=D(2024, 3, 1), days=7, calendars=CALENDARS) == D(2024, 3, 12)

    def test_across_national_day_2024_with_makeup_days(self) -> None:
        # Fri 27 Sep: Sun 29 (调休)=1, Mon 30=2, 1-7 Oct off, Tue 8=3, 9=4, 10=5, Fri 11=6, Sat 12 (调休)=7
        assert add_working_days(start=D(2024, 9, 27), days=7, calendars=CALENDARS) == D(2024, 10, 12)

    def test_across_spring_festival_2025(self) -> None:
        # Fri 24 Jan: Sun 26 (调休)=1, Mon 27=2, 28 Jan-4 Feb off, Wed 5=3, 6=4, Fri 7=5,
        # Sat 8 (调休)=6, Mon 10=7
        assert add_working_days(start=D(2025, 1, 24), days=7, calendars=CALENDARS) == D(2025, 2, 10)

    def test_feedback_due_across_the_year_boundary(self) -> None:
        # Fri 26 Dec 2025: 29=1, 30=2, 31=3, 1-2 Jan off, Sat 3 off, Sun 4 (调休)=4, 5=5, 6=6, Wed 7=7
        assert verification_feedback_due(verified_on=D(2025, 12, 26), rules=RULES, calendars=CALENDARS) == D(
            2026, 1, 7
        )

    def test_review_request_window(self) -> None:
        # same calendar as test_plain_weeks: 7 working days after Fri 1 Mar 2024
        assert review_request_due(feedback_on=D(2024, 3, 1), rules=RULES, calendars=CALENDARS) == D(
            2024, 3, 12
        )

    def test_year_without_calendar_is_refused(self) -> None:
        with pytest.raises(ReferenceYearMissing, match="2027"):
            add_working_days(start=D(2026, 12, 28), days=7, calendars=CALENDARS)

    def test_days_must_be_positive(self) -> None:
        with pytest.raises(InvalidInput):
            add_working_days(start=D(2024, 3, 1), days=0, calendars=CALENDARS)


class TestFindOverdue:
    FILING = FilingStatus(
        enterprise_id="E1",
        report_years_due=frozenset({2023, 2024}),
        report_years_filed=frozenset({2023}),
        ledger_months_due=ledger_months_of(2025),
        ledger_months_filed=frozenset({(2025, 1)}),
    )

    def test_nothing_is_overdue_on_the_due_date(self) -> None:
        # report 2024 due 31 Mar 2025; ledger Feb 2025 due 28 Feb + 40 = 9 Apr
        assert find_overdue(filings=[self.FILING], as_of=D(2025, 3, 31), rules=RULES) == ()

    def test_report_and_ledger_overdue_with_deterministic_keys(self) -> None:
        # 15 Apr 2025: report 2024 (due 31 Mar) and ledger Feb (due 9 Apr) are late; March due 10 May
        items = find_overdue(filings=[self.FILING], as_of=D(2025, 4, 15), rules=RULES)
        assert [item.key for item in items] == ["ledger-overdue:E1:2025-02", "report-overdue:E1:2024"]
        ledger, report = items
        assert (ledger.kind, ledger.month, ledger.due_date) == (OverdueKind.LEDGER, 2, D(2025, 4, 9))
        assert (report.kind, report.month, report.due_date) == (OverdueKind.REPORT, None, D(2025, 3, 31))

    def test_running_twice_gives_the_same_items(self) -> None:
        first = find_overdue(filings=[self.FILING], as_of=D(2025, 6, 1), rules=RULES)
        assert first == find_overdue(filings=[self.FILING], as_of=D(2025, 6, 1), rules=RULES)

    def test_filed_items_are_not_overdue(self) -> None:
        filed = FilingStatus("E1", frozenset({2024}), frozenset({2024}))
        assert find_overdue(filings=[filed], as_of=D(2026, 1, 1), rules=RULES) == ()
