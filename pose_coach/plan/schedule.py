"""The calendar of a plan: the runner's local dates and their training days.

Every rule works on local dates, never on clock times, so a clock change (summer time)
cannot move a session to another day. The moment "now" and the time zone reach the
plan through :func:`current_time` and :func:`local_zone` only: commands call them once,
tests replace them, and everything below takes dates as arguments.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone, tzinfo


def current_time() -> datetime:
    """Now, in UTC (the one reading of the wall clock for plan commands)."""
    return datetime.now(timezone.utc)


def local_zone() -> tzinfo | None:
    """The runner's time zone: None means the computer's own."""
    return None


def local_date(moment: datetime, tz: tzinfo | None = None) -> date:
    """The local date of an aware moment in ``tz`` (None: the computer's zone)."""
    return moment.astimezone(tz).date() if tz is not None else moment.astimezone().date()


def is_training_day(day: date, days: tuple[int, ...]) -> bool:
    return day.weekday() in days


def training_days(days: tuple[int, ...], first: date, last: date) -> Iterator[date]:
    """Training days from ``first`` to ``last``, both included."""
    day = first
    while day <= last:
        if day.weekday() in days:
            yield day
        day += timedelta(days=1)


def next_training_day(days: tuple[int, ...], on_or_after: date) -> date:
    """The first training day on or after a date."""
    day = on_or_after
    for _ in range(7):
        if day.weekday() in days:
            return day
        day += timedelta(days=1)
    raise ValueError("no training days")


def upcoming(days: tuple[int, ...], on_or_after: date, count: int) -> list[date]:
    """The next ``count`` training days, from a date on."""
    out: list[date] = []
    day = next_training_day(days, on_or_after)
    while len(out) < count:
        out.append(day)
        day = next_training_day(days, day + timedelta(days=1))
    return out
