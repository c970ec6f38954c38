"""Calendar arithmetic: months counted in China Standard Time, clamped to month ends."""

from __future__ import annotations

import datetime as dt

import pytest

from carbon_credit.domain.clock import add_months, end_of_day_cst, require_aware
from carbon_credit.domain.errors import InvalidTimestamp

UTC = dt.UTC


class TestAddMonths:
    def test_plain_month_keeps_the_time_of_day(self) -> None:
        # 10:00 CST on 10 Mar 2024 + 12 months = 10:00 CST on 10 Mar 2025 = 02:00 UTC
        assert add_months(dt.datetime(2024, 3, 10, 2, tzinfo=UTC), 12) == dt.datetime(
            2025, 3, 10, 2, tzinfo=UTC
        )

    def test_day_is_clamped_to_month_end(self) -> None:
        # 31 Jan 2024 12:00 CST + 1 month -> 29 Feb 2024 (leap year) 12:00 CST = 04:00 UTC
        assert add_months(dt.datetime(2024, 1, 31, 4, tzinfo=UTC), 1) == dt.datetime(
            2024, 2, 29, 4, tzinfo=UTC
        )
        # 29 Feb 2024 + 12 months -> 28 Feb 2025
        assert add_months(dt.datetime(2024, 2, 29, 4, tzinfo=UTC), 12) == dt.datetime(
            2025, 2, 28, 4, tzinfo=UTC
        )

    def test_months_are_counted_on_the_cst_calendar(self) -> None:
        # 31 Jan 20:00 UTC is already 1 Feb 04:00 CST; + 1 month = 1 Mar 04:00 CST = 29 Feb 20:00 UTC.
        # (Counting in UTC would give 29 Feb 20:00 UTC too, but via clamping: check a case where they differ.)
        assert add_months(dt.datetime(2024, 1, 31, 20, tzinfo=UTC), 1) == dt.datetime(
            2024, 2, 29, 20, tzinfo=UTC
        )
        # 30 Apr 17:00 UTC = 1 May 01:00 CST; + 1 month = 1 Jun 01:00 CST = 31 May 17:00 UTC.
        # Counting in UTC would have given 30 May 17:00 UTC.
        assert add_months(dt.datetime(2024, 4, 30, 17, tzinfo=UTC), 1) == dt.datetime(
            2024, 5, 31, 17, tzinfo=UTC
        )

    def test_crossing_the_year(self) -> None:
        assert add_months(dt.datetime(2024, 11, 15, tzinfo=UTC), 3) == dt.datetime(2025, 2, 15, tzinfo=UTC)

    def test_naive_datetime_is_rejected(self) -> None:
        with pytest.raises(InvalidTimestamp, match="timezone"):
            add_months(dt.datetime(2024, 1, 1), 1)


class TestEndOfDayCst:
    def test_deadline_passes_at_cst_midnight(self) -> None:
        # end of 31 Dec 2025 CST = 1 Jan 2026 00:00 CST = 31 Dec 2025 16:00 UTC
        assert end_of_day_cst(dt.date(2025, 12, 31)) == dt.datetime(2025, 12, 31, 16, tzinfo=UTC)

    def test_require_aware_normalises_to_utc(self) -> None:
        cst = dt.timezone(dt.timedelta(hours=8))
        assert require_aware(dt.datetime(2024, 1, 1, 8, tzinfo=cst), what="x") == dt.datetime(
            2024, 1, 1, tzinfo=UTC
        )
