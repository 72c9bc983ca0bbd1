"""Period arithmetic, the twin of `ml-service/src/forecast/periods.ts` (FEATURES.md, "Periods")."""

from __future__ import annotations

import datetime as dt
from typing import Literal

Interval = Literal["month", "week"]
INTERVALS: tuple[Interval, ...] = ("month", "week")


def season_length(interval: Interval) -> int:
    """Periods in a year: the seasonal lag."""
    return 12 if interval == "month" else 52


def period_start(day: dt.date, interval: Interval) -> dt.date:
    """The first day of the month, or the Monday of the ISO week, that contains `day`."""
    if interval == "month":
        return day.replace(day=1)
    return day - dt.timedelta(days=day.weekday())


def is_period_start(day: dt.date, interval: Interval) -> bool:
    return period_start(day, interval) == day


def add_periods(start: dt.date, interval: Interval, count: int) -> dt.date:
    if interval == "week":
        return start + dt.timedelta(weeks=count)
    months = start.year * 12 + start.month - 1 + count
    return dt.date(months // 12, months % 12 + 1, 1)


def periods_between(first: dt.date, last: dt.date, interval: Interval) -> int:
    """How many periods `last` is after `first` (both period starts)."""
    if interval == "week":
        return (last - first).days // 7
    return (last.year - first.year) * 12 + last.month - first.month


def position_in_year(day: dt.date, interval: Interval) -> int:
    """Month of the year (1-12) for months, ISO week number (1-53) for weeks."""
    return day.month if interval == "month" else day.isocalendar().week
