"""Streaks, weekly totals and the closing line, on a fixed clock in several time zones."""

from __future__ import annotations

import random
import sqlite3
import time
import zoneinfo
from datetime import date, datetime, timedelta, timezone

import pytest
from log_helpers import make_record

from pose_coach.log.stats import (
    LocalDays,
    Stats,
    Streak,
    compute_stats,
    encouragement,
    streaks,
)
from pose_coach.log.store import Part, open_log

UTC = timezone.utc
NEW_YORK_WINTER = timezone(timedelta(hours=-5), "UTC-5")
TOKYO = timezone(timedelta(hours=9), "UTC+9")


def _stats(records, now: str, tz=UTC, weeks: int = 4, every_kind: bool = False) -> Stats:
    log = open_log()
    with log:
        log.add(records)
        return compute_stats(
            log, weeks, now=datetime.fromisoformat(now), tz=tz, every_kind=every_kind
        )


def _day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


# -- the arithmetic -----------------------------------------------------------------


def test_streaks_current_longest_and_gaps():
    days = [
        _day(d)
        for d in (
            "2024-03-01",
            "2024-03-02",
            "2024-03-03",
            "2024-03-06",
            "2024-03-07",
            "2024-03-07",
        )
    ]
    assert streaks(days, _day("2024-03-07")) == Streak(2, 3, date(2024, 3, 7), True)
    # today not practised yet: yesterday's streak is still alive
    assert streaks(days, _day("2024-03-08")) == Streak(2, 3, date(2024, 3, 7), False)
    # a whole day missed: it is over
    assert streaks(days, _day("2024-03-09")) == Streak(0, 3, date(2024, 3, 7), False)
    assert streaks([], _day("2024-03-09")) == Streak(0, 0, None, False)
    # sessions dated after today (a clock that was wrong) do not count
    assert streaks([_day("2024-03-10")], _day("2024-03-09")).current == 0


def test_two_sessions_an_hour_apart_across_utc_midnight_in_three_time_zones():
    records = [make_record("2024-03-04T23:30:00+00:00"), make_record("2024-03-05T00:30:00Z")]
    now = "2024-03-05T12:00:00+00:00"
    in_utc = _stats(records, now, UTC)
    assert in_utc.streak == Streak(2, 2, date(2024, 3, 5), True)
    # New York: both at 18:30 and 19:30 on the 4th; it is 07:00 on the 5th there
    in_new_york = _stats([], now, NEW_YORK_WINTER)
    assert in_new_york.streak == Streak(1, 1, date(2024, 3, 4), False)
    # Tokyo: both on the morning of the 5th, and it is the evening of the 5th
    in_tokyo = _stats([], now, TOKYO)
    assert in_tokyo.streak == Streak(1, 1, date(2024, 3, 5), True)
    assert in_tokyo.today == date(2024, 3, 5)


def test_weeks_start_on_local_monday():
    # 14:30Z and 15:30Z on Sunday 10 March are 23:30 Sunday and 00:30 Monday in Tokyo
    records = [
        make_record("2024-03-10T14:30:00Z", seconds=600),
        make_record("2024-03-10T15:30:00Z", seconds=1200),
    ]
    now = "2024-03-12T00:00:00+00:00"
    tokyo = _stats(records, now, TOKYO, weeks=2)
    assert [(w.start, w.minutes["fall"], w.sessions) for w in tokyo.weeks] == [
        (date(2024, 3, 4), 10.0, 1),
        (date(2024, 3, 11), 20.0, 1),
    ]
    utc = _stats([], now, UTC, weeks=2)
    assert [(w.start, w.minutes["fall"], w.sessions) for w in utc.weeks] == [
        (date(2024, 3, 4), 30.0, 2),
        (date(2024, 3, 11), 0.0, 0),
    ]


def _zone(name: str):
    try:
        return zoneinfo.ZoneInfo(name)
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("the IANA time zone database is not installed (the test extra has tzdata)")


def test_days_follow_daylight_saving_time():
    tz = _zone("Europe/Berlin")
    # 22:30Z is 00:30 the next day in summer time (+2), 23:30 the same day at +1
    records = [make_record("2024-10-26T22:30:00Z"), make_record("2024-10-27T23:30:00Z")]
    stats = _stats(records, "2024-10-28T12:00:00+00:00", tz)
    assert stats.streak == Streak(2, 2, date(2024, 10, 28), True)


def test_minutes_per_phase_are_real_minutes_and_stopped_sessions_are_counted():
    records = [
        make_record("2024-03-04T07:00:00Z", entry_id="pose", phase="pose", seconds=600),
        # tried out at 10x: 300 session seconds are 30 real seconds
        make_record("2024-03-05T07:00:00Z", entry_id="fall", seconds=300, speed=10),
        make_record(
            "2024-03-06T07:00:00Z",
            entry_id="warmup",
            kind="routine",
            outcome="quit",
            seconds=300,
            parts=(
                Part("pose", "Running pose", "pose", 120.0),
                Part("wall-fall", "Wall fall", "fall", 180.0),
            ),
        ),
    ]
    stats = _stats(records, "2024-03-07T12:00:00+00:00", UTC, weeks=2, every_kind=True)
    this_week = stats.weeks[-1]
    assert this_week.start == date(2024, 3, 4)
    assert this_week.minutes == {"pose": 12.0, "fall": 3.5, "pull": 0.0}
    assert this_week.total == 15.5
    assert (this_week.sessions, this_week.completed, this_week.stopped) == (3, 2, 1)
    assert stats.weeks[0].sessions == 0
    assert (stats.sessions, stats.completed, stats.stopped) == (3, 2, 1)
    assert stats.minutes == 15.5
    assert [(d.id, d.minutes, d.sessions) for d in stats.top] == [
        ("pose", 12.0, 2),
        ("wall-fall", 3.0, 1),
        ("fall", 0.5, 1),
    ]


def test_short_stopped_sessions_do_not_make_a_streak_but_a_real_minute_does():
    records = [
        make_record("2024-03-04T07:00:00Z", outcome="quit", seconds=30),
        make_record("2024-03-05T07:00:00Z", outcome="interrupted", seconds=90),
        make_record("2024-03-06T07:00:00Z", outcome="quit", seconds=600, speed=100),
    ]
    stats = _stats(records, "2024-03-06T12:00:00+00:00")
    assert stats.streak == Streak(1, 1, date(2024, 3, 5), False)


def test_weekly_totals_only_cover_the_weeks_asked_for():
    old = make_record("2023-01-02T07:00:00Z", entry_id="pull", phase="pull", seconds=6000)
    recent = make_record("2024-03-05T07:00:00Z", seconds=60)
    stats = _stats([old, recent], "2024-03-05T12:00:00+00:00", weeks=1)
    assert len(stats.weeks) == 1
    assert stats.weeks[0].minutes == {"pose": 0.0, "fall": 1.0, "pull": 0.0}
    assert [d.id for d in stats.top] == ["fall"]  # the old pull session is out of the window
    assert stats.minutes == 101.0  # all-time totals include it
    assert stats.streak.longest == 1


def test_unknown_phases_from_imported_logs_get_their_own_column():
    record = make_record(parts=(Part("skip", "Skipping", "rhythm", 120.0),))
    stats = _stats([record], "2024-03-04T12:00:00+00:00", weeks=1)
    assert stats.phases == ("pose", "fall", "pull", "rhythm")
    assert stats.weeks[0].minutes["rhythm"] == 2.0


def test_empty_log():
    stats = compute_stats(None, 3, now=datetime(2024, 3, 6, tzinfo=UTC), tz=UTC)
    assert [w.start for w in stats.weeks] == [
        date(2024, 2, 19),
        date(2024, 2, 26),
        date(2024, 3, 4),
    ]
    assert stats.sessions == 0 and stats.top == []
    assert stats.message.startswith("No sessions recorded yet")


@pytest.fixture
def system_zone(monkeypatch):
    """Set the process's own time zone (TZ), and put it back afterwards."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    "zone",
    [
        "Europe/Berlin",
        "America/New_York",
        "Asia/Kathmandu",
        "Australia/Lord_Howe",
        "UTC",
        "system:America/Sao_Paulo",
    ],
)
def test_local_days_in_sql_match_python_in_every_zone(zone, system_zone):
    if zone.startswith("system:"):
        name = zone[7:]
        system_zone(name)
        # the tzdata package serves zoneinfo only: C's localtime needs the OS's own files,
        # and without them takes an unknown TZ as UTC, which would test nothing here
        local = LocalDays(None)
        if local.offset(0) != LocalDays(_zone(name)).offset(0):
            pytest.skip(f"the system's time zone database has no {name}")
    else:
        local = LocalDays(_zone(zone))
    rng = random.Random(zone)
    epochs = sorted(rng.randrange(946684800, 1893456000) for _ in range(2000))  # 2000-2030
    spans = local.spans(epochs[0], epochs[-1])
    for start, _ in spans[1:]:  # and the seconds on either side of every change
        epochs += [start - 1, start, start + 1]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (started INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?)", [(e,) for e in epochs])
    expression, params = local.sql_day("started", min(epochs), max(epochs))
    wrong = [
        (epoch, date.fromordinal(day), local.day_of(epoch))
        for epoch, day in conn.execute(f"SELECT started, {expression} FROM t", params)
        if day != local.day_of(epoch).toordinal()
    ]
    conn.close()
    assert wrong == []
    if zone == "Europe/Berlin":
        assert len(spans) == 1 + 2 * 30  # two changes a year for the 30 years


def test_sql_day_refuses_anything_but_a_column_name():
    with pytest.raises(ValueError):
        LocalDays(UTC).sql_day("started); DROP TABLE sessions; --", 0, 1)


# -- the closing line: encouraging, and true ---------------------------------------------


def _days_streak(days: list[str], now: str) -> str:
    records = [make_record(f"{d}T07:00:00Z") for d in days]
    return encouragement(_stats(records, now))


def test_message_on_a_streak_that_is_the_longest():
    days = ["2024-03-04", "2024-03-05", "2024-03-06"]
    assert _days_streak(days, "2024-03-06T20:00:00+00:00") == (
        "3-day streak, your longest yet — keep it going."
    )


def test_message_when_today_is_still_open():
    assert _days_streak(["2024-03-04", "2024-03-05"], "2024-03-06T20:00:00+00:00") == (
        "2-day streak — a session today makes it 3."
    )


def test_message_after_a_break():
    message = _days_streak(["2024-03-01"], "2024-03-06T20:00:00+00:00")
    assert message == (
        "Last practised 5 days ago; 1 session completed so far — "
        "a short drill today starts a new streak."
    )


def test_message_when_today_is_the_first_day():
    message = _days_streak(["2024-03-06"], "2024-03-06T20:00:00+00:00")
    assert (
        message == "Practised today (5 min this week) — a session tomorrow makes it a 2-day streak."
    )


def test_message_with_a_longer_streak_behind():
    days = ["2024-02-01", "2024-02-02", "2024-02-03", "2024-03-05", "2024-03-06"]
    assert _days_streak(days, "2024-03-06T20:00:00+00:00") == "2-day streak — keep it going."
