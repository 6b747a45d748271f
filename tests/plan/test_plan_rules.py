"""The plan's rules as pure functions: a runner's check-ins and calendar → the decision."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from plan_helpers import FRI, MON, SAT, WED, Record, builtin_plan

from pose_coach.plan.rules import (
    DecisionKind,
    TodayKind,
    cadence_target,
    evaluate,
    projected_dates,
)
from pose_coach.plan.schedule import local_date

PLAN = builtin_plan("beginner-6-weeks")  # 3 sessions a week; progress ≤3, step back ≥5
DAYS = (MON, WED, SAT)
START = date(2025, 3, 3)  # a Monday


def d(day: int, month: int = 3) -> date:
    return date(2025, month, day)


def state(record: Record, today: date, start: date = START, plan=PLAN, days=DAYS):
    return evaluate(
        plan, start, days, record.days, record.checkins, today, baselines=record.baselines
    )


def week_one(record: Record, soreness=(1, 2, 2)) -> Record:
    """Week 1 played on Mon 3, Wed 5 and Sat 8 March, checked in after each."""
    for day, value in zip((d(3), d(5), d(8)), soreness, strict=True):
        record.session(day, value)
    return record


# -- the start ----------------------------------------------------------------------


def test_the_first_day_has_the_first_session():
    s = state(Record(), START)
    assert (s.week, s.day) == (1, 1)
    assert s.today_kind is TodayKind.SESSION and s.next_date == START
    assert s.decision.kind is DecisionKind.START


def test_a_plan_started_in_the_middle_of_a_week_begins_on_the_next_training_day():
    thursday = d(6)
    s = state(Record(), thursday, start=thursday)
    assert s.today_kind is TodayKind.REST
    assert s.next_date == d(8)  # Saturday: week 1, day 1 — the plan's weeks are its own
    assert (s.week, s.day) == (1, 1)
    assert s.missed == ()  # Monday and Wednesday were before the start: not missed
    # the three sessions of week 1 fall on Sat, Mon, Wed
    dates = projected_dates(s, PLAN, DAYS)
    assert [dates[(1, n)] for n in (1, 2, 3)] == [d(8), d(10), d(12)]


def test_a_plan_starting_later_says_so():
    s = state(Record(), d(1), start=d(3))
    assert s.today_kind is TodayKind.BEFORE_START and s.next_date == d(3)


# -- going on, holding, stepping back -------------------------------------------------


def test_within_a_week_the_plan_goes_on():
    s = state(Record().session(d(3), 2), d(5))
    assert (s.week, s.day) == (1, 2)
    assert s.decision.kind is DecisionKind.GO_ON
    assert s.today_kind is TodayKind.SESSION
    assert s.last_checkin is not None and s.last_checkin.soreness == 2


def test_a_week_done_with_low_soreness_moves_on():
    s = state(week_one(Record()), d(10))
    assert (s.week, s.day) == (2, 1)
    assert s.decision.kind is DecisionKind.PROGRESS
    assert s.decision.reason == (
        "week 1 done with soreness at most 2/10, so the plan moves on to week 2"
    )


def test_soreness_above_the_progress_threshold_holds_the_week():
    s = state(week_one(Record(), soreness=(1, 4, 2)), d(10))
    assert (s.week, s.day) == (1, 1)
    assert s.decision.kind is DecisionKind.HOLD
    assert "soreness reached 4/10 in week 1 (above 3/10)" in s.decision.reason


def test_soreness_of_five_steps_back_a_week_at_once():
    record = week_one(Record()).session(d(10), 2).session(d(12), 5)
    s = state(record, d(15))
    assert (s.week, s.day) == (1, 1)
    assert s.decision.kind is DecisionKind.STEP_BACK
    assert s.decision.reason == (
        "soreness 5/10 on Wed 12 Mar (5/10 or more), so the plan steps back to week 1"
    )


def test_stepping_back_from_week_one_starts_it_again():
    s = state(Record().session(d(3), 2).session(d(5), 7), d(8))
    assert (s.week, s.day) == (1, 1)
    assert s.decision.kind is DecisionKind.STEP_BACK
    assert s.decision.reason.endswith("so week 1 starts again")


def test_sharp_pain_stops_the_plan():
    record = week_one(Record()).done(d(10)).checkin(d(10), None, sharp=True)
    s = state(record, d(12))
    assert s.today_kind is TodayKind.STOPPED and s.next_date is None
    assert s.decision.kind is DecisionKind.STOP
    assert "see a clinician" in s.decision.reason
    # nothing recorded afterwards moves it on
    record.session(d(12), 0).session(d(15), 0).session(d(17), 0)
    assert state(record, d(19)).today_kind is TodayKind.STOPPED


def test_a_week_without_a_check_in_holds():
    record = Record().done(d(3)).done(d(5)).done(d(8))
    s = state(record, d(10))
    assert s.decision.kind is DecisionKind.HOLD and s.week == 1
    assert "no check-in during week 1" in s.decision.reason


def test_a_skipped_session_holds_the_week():
    record = Record().session(d(3), 1).skip(d(5)).session(d(8), 1)
    s = state(record, d(10))
    assert s.decision.kind is DecisionKind.HOLD and s.week == 1
    assert s.decision.reason.startswith("1 session of week 1 skipped")


def test_soreness_rising_at_three_check_ins_holds_even_below_the_threshold():
    s = state(week_one(Record(), soreness=(1, 2, 3)), d(10))
    assert s.decision.kind is DecisionKind.HOLD and s.week == 1
    assert "soreness rose at 3 check-ins in a row (1 → 2 → 3)" in s.decision.reason


def test_soreness_rising_to_the_step_back_threshold_steps_back():
    record = week_one(Record()).session(d(10), 3).session(d(12), 4)
    assert state(record, d(13)).week == 2  # rising, but the week is not over
    record.session(d(15), 6)
    s = state(record, d(17))
    assert s.decision.kind is DecisionKind.STEP_BACK and s.week == 1


def test_a_check_in_on_a_rest_day_counts_for_the_week():
    record = week_one(Record(), soreness=(1, 1, 1)).checkin(d(9), 4)  # Sunday morning
    s = state(record, d(10))
    assert s.decision.kind is DecisionKind.HOLD
    assert "soreness reached 4/10" in s.decision.reason


def test_a_check_in_on_a_rest_day_does_not_count_as_a_session():
    record = Record().session(d(3), 1).checkin(d(4), 2)  # Tuesday: a rest day
    s = state(record, d(4))
    assert s.today_kind is TodayKind.REST
    assert (s.week, s.day) == (1, 2) and s.sessions_done == 1
    assert s.next_date == d(5)


def test_the_last_session_of_a_week_waits_for_its_check_in():
    record = Record().session(d(3), 1).session(d(5), 1).done(d(8))
    s = state(record, d(8))
    assert s.today_kind is TodayKind.DONE and s.week_complete
    assert s.week == 1 and s.decision.kind is DecisionKind.GO_ON
    record.checkin(d(8), 2, hour=9)
    after = state(record, d(8))
    assert after.week == 2 and after.decision.kind is DecisionKind.PROGRESS


def test_the_plan_finishes_after_its_last_week():
    record = Record()
    day = START
    for _ in range(6 * 3):
        day = next(
            day + timedelta(days=n) for n in range(7) if (day + timedelta(n)).weekday() in DAYS
        )
        record.session(day, 1 if len(record.days) % 2 else 0)
        day += timedelta(days=1)
    s = state(record, day + timedelta(days=2))
    assert s.today_kind is TodayKind.FINISHED and s.finished
    assert s.decision.kind is DecisionKind.FINISHED
    assert [h.kind for h in s.history].count(DecisionKind.PROGRESS) == 5


# -- missed days ----------------------------------------------------------------------


def test_a_missed_day_is_noticed_and_can_be_done_today():
    s = state(Record().session(d(3), 1), d(6))  # Wednesday passed without a session
    assert s.today_kind is TodayKind.MISSED and s.missed == (d(5),)
    assert s.next_date == d(6) and (s.week, s.day) == (1, 2)


def test_a_missed_day_skipped_gives_the_next_session():
    record = Record().session(d(3), 1).skip(d(6))
    s = state(record, d(6))
    assert s.missed == () and s.today_kind is TodayKind.REST  # Thursday: not a training day
    assert (s.week, s.day) == (1, 3) and s.next_date == d(8)


def test_two_missed_weeks_step_back_one_week():
    record = week_one(Record()).session(d(10), 1)  # week 2, day 1 on Mon 10 March
    s = state(record, d(24))  # two weeks later, nothing since
    assert s.decision.kind is DecisionKind.STEP_BACK and (s.week, s.day) == (1, 1)
    assert s.decision.reason == (
        "no session for 14 days since Mon 10 Mar, so the plan steps back to week 1"
    )
    assert s.missed == ()  # a fresh start, not a list of missed days
    assert s.today_kind is TodayKind.SESSION  # the 24th is a Monday


def test_four_missed_weeks_step_back_two_weeks():
    record = Record()
    day = START
    while len(record.days) < 7:  # weeks 1 and 2, and week 3 day 1
        if day.weekday() in DAYS:
            record.session(day, 1)
        day += timedelta(days=1)
    last = record.days[-1].on_date
    assert state(record, last).week == 3
    s = state(record, last + timedelta(days=28))
    assert s.week == 1 and [h.kind for h in s.history][-2:] == [DecisionKind.STEP_BACK] * 2


def test_coming_back_after_a_gap_starts_from_the_step_back():
    record = week_one(Record()).session(d(10), 1)
    record.session(d(26), 1)  # back on Wednesday 26th: counts for week 1, day 1
    s = state(record, d(27))
    assert (s.week, s.day) == (1, 2)
    assert s.missed == ()


# -- cadence --------------------------------------------------------------------------


def test_cadence_target_is_a_percentage_of_the_runners_own():
    assert cadence_target(164, 0, 5) == 164
    assert cadence_target(164, 1, 5) == 172
    assert cadence_target(164, 2, 5) == 180


def _through_week(record: Record, first: date, soreness: int, easy: bool | None) -> date:
    """Three sessions from ``first`` on, each checked in; returns the day after."""
    day = first
    done = 0
    while done < 3:
        if day.weekday() in DAYS:
            record.session(day, soreness, easy=easy)
            done += 1
        day += timedelta(days=1)
    return day


def test_the_metronome_rises_only_after_a_week_that_felt_easy():
    record = Record().baseline(d(1), 164)
    day = _through_week(record, START, 1, None)  # week 1
    day = _through_week(record, day, 1, None)  # week 2
    s = state(record, day)
    assert s.week == 3 and s.cadence_level == 1  # from week 3: +5 %
    day = _through_week(record, day, 1, False)  # week 3 felt hard
    s = state(record, day)
    assert s.week == 4 and s.cadence_level == 1
    day = _through_week(record, day, 1, True)  # week 4 felt easy
    s = state(record, day)
    assert s.week == 5 and s.cadence_level == 2
    assert "the metronome goes up 5 %" in s.decision.reason
    day = _through_week(record, day, 1, True)  # never past +10 %
    assert state(record, day).cadence_level == 2


def test_a_new_baseline_starts_the_metronome_again_from_it():
    record = Record().baseline(d(1), 160)
    day = _through_week(record, START, 1, None)
    day = _through_week(record, day, 1, None)
    day = _through_week(record, day, 1, True)
    assert state(record, day).cadence_level == 2
    record.baseline(day, 172)
    s = state(record, day)
    assert s.cadence_level == 1 and s.baseline is not None and s.baseline.spm == 172


# -- time zones and clock changes ------------------------------------------------------


def test_local_dates_follow_the_time_zone():
    moment = datetime(2025, 3, 10, 23, 30, tzinfo=timezone.utc)
    assert local_date(moment, ZoneInfo("Asia/Tokyo")) == date(2025, 3, 11)
    assert local_date(moment, ZoneInfo("America/Los_Angeles")) == date(2025, 3, 10)


@pytest.mark.parametrize(
    ("zone", "changes"),
    [("Europe/Berlin", date(2025, 3, 30)), ("America/New_York", date(2025, 11, 2))],
)
def test_a_clock_change_does_not_move_a_session_to_another_day(zone, changes):
    tz = ZoneInfo(zone)
    # 00:30 local time on the day the clocks change, and just before midnight after
    early = datetime(changes.year, changes.month, changes.day, 0, 30, tzinfo=tz)
    late = datetime(changes.year, changes.month, changes.day, 23, 45, tzinfo=tz)
    assert local_date(early.astimezone(timezone.utc), tz) == changes
    assert local_date(late.astimezone(timezone.utc), tz) == changes
    # a plan with a training day on that date: both moments are on that day
    days = (changes.weekday(),)
    s = evaluate(PLAN, changes, days, [], [], changes)
    assert s.today_kind is TodayKind.SESSION


def test_events_are_ordered_by_their_moment_across_a_clock_going_back():
    # New York, 2 November 2025: 01:30 happens twice. A session at the first 01:30 (EDT)
    # and a check-in at the second (EST) are an hour apart, in that order.
    tz = ZoneInfo("America/New_York")
    first = datetime(2025, 11, 2, 1, 30, tzinfo=tz, fold=0)
    second = datetime(2025, 11, 2, 1, 30, tzinfo=tz, fold=1)
    assert second.timestamp() - first.timestamp() == 3600
    sunday = date(2025, 11, 2)
    record = Record()
    record.checkin(sunday, 7, epoch_value=int(second.timestamp()))  # recorded first...
    record.done(sunday)
    record.days[-1] = record.days[-1].__class__(
        0, 0, "done", sunday, "", int(first.timestamp()), None, 99
    )  # ...but the session happened an hour earlier
    s = evaluate(PLAN, sunday, (6,), record.days, record.checkins, sunday)
    # session first, then soreness 7: week 1 starts again, the session does not count
    assert s.decision.kind is DecisionKind.STEP_BACK and s.day == 1


def test_a_check_in_just_before_local_midnight_belongs_to_that_day():
    tz = ZoneInfo("Australia/Sydney")
    moment = datetime(2025, 3, 5, 23, 50, tzinfo=tz)
    day = local_date(moment.astimezone(timezone.utc), tz)
    assert day == d(5)
    record = Record().session(d(3), 1)
    record.checkin(day, 4, epoch_value=int(moment.timestamp()))
    s = state(record, d(5))
    assert s.last_checkin is not None and s.last_checkin.on_date == d(5)


# -- no plan prescribes more than its week ------------------------------------------


def test_the_rules_never_move_a_runner_past_the_next_week():
    record = Record()
    day = START
    weeks_seen = []
    for n in range(40):
        while day.weekday() not in DAYS:
            day += timedelta(days=1)
        record.session(day, n % 3)
        weeks_seen.append(state(record, day + timedelta(days=1)).week)
        day += timedelta(days=1)
    steps = [b - a for a, b in zip(weeks_seen, weeks_seen[1:], strict=False)]
    assert max(steps) <= 1
    assert SAT in DAYS and FRI not in DAYS
