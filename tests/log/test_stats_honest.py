"""stats counts one kind of time and one kind of session, and says so consistently."""

from __future__ import annotations

import io
from datetime import date, datetime, timezone

from log_helpers import make_record

from pose_coach.log.report import print_stats
from pose_coach.log.stats import Stats, Streak, compute_stats, encouragement, streak_text
from pose_coach.log.store import Part, open_log

UTC = timezone.utc


def _stats(records, now: str, weeks: int = 2, every_kind: bool = False) -> Stats:
    log = open_log()
    assert log is not None
    with log:
        log.add(records)
        return compute_stats(
            log, weeks, now=datetime.fromisoformat(now), tz=UTC, every_kind=every_kind
        )


def _text(stats: Stats) -> str:
    out = io.StringIO()
    print_stats(stats, terminal=False, stream=out)
    return out.getvalue()


def test_only_live_sessions_count_unless_all():
    records = [
        make_record("2024-03-04T07:00:00Z", seconds=600),
        make_record("2024-03-05T07:00:00Z", seconds=600, speed=10),  # a tryout
        make_record("2024-03-06T07:00:00Z", seconds=600, played_as="scripted"),
    ]
    live = _stats(records, "2024-03-06T12:00:00+00:00")
    assert (live.sessions, live.minutes, live.shown.minutes) == (1, 10.0, 10.0)
    assert live.not_counted == {"scripted": 1, "tryout": 1}
    assert "not counted: 1 scripted session and 1 tryout (stats --all counts them)" in _text(live)
    every = _stats([], "2024-03-06T12:00:00+00:00", every_kind=True)
    assert (every.sessions, every.minutes) == (3, 21.0)  # 10 + 1 (at 10x) + 10
    assert every.not_counted == {}
    assert every.counted == ("live", "tryout", "scripted")


def test_a_scripted_session_never_makes_a_streak_even_with_all():
    records = [make_record(f"2024-03-0{d}T07:00:00Z", played_as="scripted") for d in (4, 5, 6)]
    log = open_log()
    assert log is not None
    with log:
        log.add(records)
        for every_kind in (False, True):
            stats = compute_stats(
                log, 2, now=datetime(2024, 3, 6, 12, tzinfo=UTC), tz=UTC, every_kind=every_kind
            )
            assert stats.streak == Streak(0, 0, None, False)
    assert stats.sessions == 3
    assert encouragement(stats) == (
        "Scripted sessions never make a streak — a drill played on a terminal does."
    )


def test_a_log_of_tryouts_only_does_not_say_no_sessions_were_recorded():
    stats = _stats([make_record("2024-03-05T07:00:00Z", speed=10)], "2024-03-06T12:00:00+00:00")
    assert stats.message.startswith("No live sessions yet: a drill at speed 1 on a terminal")


def test_week_rows_and_the_totals_line_add_up_to_the_same_drill_minutes():
    # a routine: 100 s + 50.5 s in drills; its lead-in and the rest between its drills
    # (actual_seconds counts them) are no drill's time
    routine = make_record(
        "2024-03-05T07:00:00Z",
        entry_id="warmup",
        kind="routine",
        parts=(Part("pose", "Pose", "pose", 100.0), Part("wall-pull", "Wall pull", "pull", 50.5)),
    )
    routine = type(routine)(**{**routine.__dict__, "actual_seconds": 200.0})
    others = [
        make_record("2024-02-27T07:00:00Z", seconds=33.3),
        make_record("2024-03-04T07:00:00Z", seconds=66.6, outcome="quit"),
    ]
    stats = _stats([routine, *others], "2024-03-06T12:00:00+00:00")
    week_sum = round(sum(week.total for week in stats.weeks), 1)
    assert stats.shown.minutes == week_sum == stats.minutes
    assert stats.to_dict()["weeks_total"]["minutes"] == week_sum
    text = _text(stats)
    rows = [line.split() for line in text.splitlines()[1:3]]
    assert round(sum(float(row[4]) for row in rows), 1) == week_sum
    assert f"these 2 weeks: 3 sessions (2 completed, 1 stopped), {week_sum:g} min" in text


def test_the_streak_threshold_counts_drill_time_too():
    # stopped after 70 s, of which 15 s were the lead-in: under a real minute of drills
    short = make_record("2024-03-05T07:00:00Z", outcome="quit", seconds=55)
    short = type(short)(**{**short.__dict__, "actual_seconds": 70.0})
    assert _stats([short], "2024-03-05T12:00:00+00:00").streak.current == 0


def test_the_streak_line_never_contradicts_itself():
    today = date(2024, 3, 6)
    assert streak_text(Streak(3, 5, today, True)) == "3 days, today included (longest 5)"
    assert streak_text(Streak(1, 1, today, True)) == "1 day, today included (longest 1)"
    assert streak_text(Streak(2, 2, date(2024, 3, 5), False)) == (
        "2 days, up to yesterday (longest 2)"
    )
    assert streak_text(Streak(0, 4, date(2024, 3, 1), False)) == (
        "none now (longest 4 days; last practised 2024-03-01)"
    )
    assert streak_text(Streak(0, 0, None, False)) == "none yet"


def test_one_day_today_reads_as_a_streak_of_one_everywhere():
    stats = _stats([make_record("2024-03-06T07:00:00Z")], "2024-03-06T12:00:00+00:00")
    text = _text(stats)
    assert "streak: 1 day, today included (longest 1)" in text
    assert "start a streak" not in text  # it has one: a day
    assert stats.message.endswith("a session tomorrow makes it a 2-day streak.")
