"""Deadlines of DOMAIN rule 3 and the overdue check, as pure functions over dates and rule tables.

A deadline is a calendar date in China Standard Time and falls at the END of that day: something due on
31 Mar is on time until 23:59:59.999 CST that day, i.e. overdue from 1 Apr 00:00 CST = 31 Mar 16:00 UTC.
Working days follow the State Council calendar: a weekday is a working day unless it is a listed holiday;
a weekend day is one only if it is a listed make-up workday (调休).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from carbon_reporting.domain.errors import FieldIssue, InvalidInput, ReferenceYearMissing
from carbon_reporting.domain.rules import DeadlineRules, HolidayCalendar

_SATURDAY = 5


def report_due_date(*, year: int, rules: DeadlineRules) -> dt.date:
    """The annual report for `year` is due on this CST date (31 Mar of year + 1 under DOMAIN rule 3)."""
    return dt.date(year + rules.report_due_years_after, rules.report_due_month, rules.report_due_day)


def ledger_due_date(*, year: int, month: int, rules: DeadlineRules) -> dt.date:
    """The monthly ledger for `year`-`month` is due this many calendar days after the month's last day."""
    if not 1 <= month <= 12:
        raise InvalidInput((FieldIssue("month", "must be 1..12"),))
    month_end = dt.date(year, month, calendar.monthrange(year, month)[1])
    return month_end + dt.timedelta(days=rules.ledger_due_days_after_month_end)


def overdue_from(*, due: dt.date, rules: DeadlineRules) -> dt.datetime:
    """The first UTC instant at which something due on `due` (a CST date) is overdue."""
    cst = dt.timezone(dt.timedelta(hours=rules.utc_offset_hours))
    return dt.datetime.combine(due + dt.timedelta(days=1), dt.time(), tzinfo=cst).astimezone(dt.UTC)


def is_overdue_at(*, due: dt.date, as_of: dt.datetime, rules: DeadlineRules) -> bool:
    """Overdue at the UTC (or any offset-aware) instant `as_of`?"""
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise InvalidInput((FieldIssue("as_of", "an instant must carry its UTC offset"),))
    return as_of >= overdue_from(due=due, rules=rules)


def is_overdue_on(*, due: dt.date, as_of: dt.date) -> bool:
    """Overdue on the CST calendar date `as_of`? Only from the day after the due date."""
    return as_of > due


def cst_date(*, instant: dt.datetime, rules: DeadlineRules) -> dt.date:
    """The China Standard Time calendar date of an offset-aware instant."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidInput((FieldIssue("instant", "an instant must carry its UTC offset"),))
    return instant.astimezone(dt.timezone(dt.timedelta(hours=rules.utc_offset_hours))).date()


def is_working_day(*, day: dt.date, calendars: Mapping[int, HolidayCalendar]) -> bool:
    year_calendar = calendars.get(day.year)
    if year_calendar is None:
        raise ReferenceYearMissing(f"no holiday calendar for {day.year}: working days cannot be counted")
    if day.weekday() >= _SATURDAY:
        return day in year_calendar.makeup_workdays
    return day not in year_calendar.holidays


def add_working_days(*, start: dt.date, days: int, calendars: Mapping[int, HolidayCalendar]) -> dt.date:
    """The `days`-th working day after `start` (start itself not counted, whatever it is)."""
    if days < 1:
        raise InvalidInput((FieldIssue("days", "must be >= 1"),))
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day=day, calendars=calendars):
            counted += 1
    return day


def verification_feedback_due(
    *, verified_on: dt.date, rules: DeadlineRules, calendars: Mapping[int, HolidayCalendar]
) -> dt.date:
    """The result must be fed back to the enterprise within N working days of verification (7 by default)."""
    return add_working_days(
        start=verified_on, days=rules.verification_feedback_working_days, calendars=calendars
    )


def review_request_due(
    *, feedback_on: dt.date, rules: DeadlineRules, calendars: Mapping[int, HolidayCalendar]
) -> dt.date:
    """The enterprise may ask for a review (复核) within N working days of receiving the result."""
    return add_working_days(start=feedback_on, days=rules.review_request_working_days, calendars=calendars)


@dataclass(frozen=True)
class ReviewWindow:
    """The working-day dates that follow a verification (CST dates, both inclusive)."""

    feedback_due: dt.date
    review_request_due: dt.date


def review_window_after(
    *, verified_on: dt.date, rules: DeadlineRules, calendars: Mapping[int, HolidayCalendar]
) -> ReviewWindow:
    """The result is fed back through this service on the day it is recorded (the enterprise reads it at
    once), so the review window counts from `verified_on`; `feedback_due` is the latest day the rule
    allows, shown so an off-line notice can be checked against it."""
    return ReviewWindow(
        feedback_due=verification_feedback_due(verified_on=verified_on, rules=rules, calendars=calendars),
        review_request_due=review_request_due(feedback_on=verified_on, rules=rules, calendars=calendars),
    )


class OverdueKind(StrEnum):
    REPORT = "report"
    LEDGER = "ledger"


@dataclass(frozen=True)
class OverdueItem:
    """One overdue obligation; `key` is deterministic so the service can emit its event exactly once."""

    kind: OverdueKind
    enterprise_id: str
    year: int
    month: int | None
    due_date: dt.date

    @property
    def key(self) -> str:
        period = f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"
        return f"{self.kind.value}-overdue:{self.enterprise_id}:{period}"


@dataclass(frozen=True)
class FilingStatus:
    """What one enterprise owes and what it has filed (a report counts once submitted, ledgers once filed)."""

    enterprise_id: str
    report_years_due: frozenset[int] = frozenset()
    report_years_filed: frozenset[int] = frozenset()
    ledger_months_due: frozenset[tuple[int, int]] = frozenset()
    ledger_months_filed: frozenset[tuple[int, int]] = frozenset()


def find_overdue(
    *, filings: Iterable[FilingStatus], as_of: dt.date, rules: DeadlineRules
) -> tuple[OverdueItem, ...]:
    """Every unfiled report or ledger whose due date is before the CST date `as_of`, sorted by key."""
    items: list[OverdueItem] = []
    for filing in filings:
        for year in filing.report_years_due - filing.report_years_filed:
            due = report_due_date(year=year, rules=rules)
            if is_overdue_on(due=due, as_of=as_of):
                items.append(OverdueItem(OverdueKind.REPORT, filing.enterprise_id, year, None, due))
        for year, month in filing.ledger_months_due - filing.ledger_months_filed:
            due = ledger_due_date(year=year, month=month, rules=rules)
            if is_overdue_on(due=due, as_of=as_of):
                items.append(OverdueItem(OverdueKind.LEDGER, filing.enterprise_id, year, month, due))
    return tuple(sorted(items, key=lambda item: item.key))


def ledger_months_of(year: int) -> frozenset[tuple[int, int]]:
    """The twelve monthly ledgers a key emitter owes for `year`."""
    return frozenset((year, month) for month in range(1, 13))
