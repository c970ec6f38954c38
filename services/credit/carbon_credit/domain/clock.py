"""Calendar arithmetic the credit rules need: China Standard Time, calendar months, aware timestamps.

Regulatory periods ("a fact counts for 24 months", "repair after 6 months") are counted on the Chinese
calendar, so month arithmetic happens in China Standard Time (UTC+8, no daylight saving) and the result
is returned in UTC. A day that does not exist in the target month is clamped to its last day
(31 Jan + 1 month = 28/29 Feb), as the civil-law reading of "一个月" does.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools

from carbon_credit.domain.errors import InvalidTimestamp

CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8), "CST")
"""UTC+8, the zone Chinese deadlines are stated in (DOMAIN rule 3); a definition, not a rule factor."""


def require_aware(value: dt.datetime, *, what: str) -> dt.datetime:
    """Return `value` in UTC; reject naive datetimes, which would make ordering ambiguous."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidTimestamp(f"{what} must carry a timezone offset (got naive {value.isoformat()})")
    return value.astimezone(dt.UTC)


@functools.lru_cache(maxsize=1 << 16)  # pure; replay asks for the same (instant, validity) again and again
def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """`moment` plus `months` calendar months counted in China Standard Time, returned in UTC."""
    local = require_aware(moment, what="timestamp").astimezone(CHINA_STANDARD_TIME)
    month_index = local.month - 1 + months
    year = local.year + month_index // 12
    month = month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(dt.UTC)


def end_of_day_cst(day: dt.date) -> dt.datetime:
    """The instant a deadline on `day` passes: midnight CST at the start of the next day, in UTC."""
    next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=CHINA_STANDARD_TIME)
    return next_midnight.astimezone(dt.UTC)
