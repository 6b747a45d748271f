"""iCalendar export, parsed back with the icalendar library."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, timezone

import pytest

from pose_coach.library.catalog import load_catalog
from pose_coach.render.export.ics import (
    Schedule,
    description_text,
    ics_bytes,
    parse_days,
    parse_time,
)
from pose_coach.timeline import Dose, compile_timeline

icalendar = pytest.importorskip("icalendar")

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=timezone.utc)


def export(entry_id: str, plan: Schedule, dose: Dose | None = None):
    dose = dose or Dose()
    catalog = load_catalog()
    entry = catalog.get(entry_id)
    timeline = compile_timeline(entry, catalog.entries, dose)
    dose_changed = dose.sets is not None or dose.rest is not None
    text = description_text(
        timeline, entry, catalog.entries, f"pose-coach x {entry_id}", dose_changed=dose_changed
    )
    data = ics_bytes(timeline, plan, text, now=NOW)
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return timeline, event, data


def words(text: str) -> str:
    return " ".join(text.split())


# 2025-01-01 is a Wednesday
PLAN = Schedule(time(7, 0), ("MO", "WE", "FR"), weeks=6, start=date(2025, 1, 1))


def test_weekly_recurring_event_with_the_cue_sheet():
    timeline, event, data = export("warmup", PLAN)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == ["MO", "WE", "FR"]
    assert rule["COUNT"] == [18]  # 6 weeks × 3 days
    start = event.decoded("DTSTART")
    assert start == datetime(2025, 1, 1, 7, 0) and start.tzinfo is None  # floating local time
    assert event.decoded("DURATION") == timedelta(seconds=math.ceil(timeline.total))
    assert str(event["SUMMARY"]) == "Pre-run warm-up (pose-coach)"
    description = words(str(event["DESCRIPTION"]))
    assert description.startswith("Play it: pose-coach x warmup")
    for cue in timeline.cues:
        assert words(cue.text) in description
    assert event.decoded("DTSTAMP") == NOW


def test_first_session_is_on_the_first_chosen_day():
    plan = Schedule(time(18, 30), ("MO", "FR"), weeks=2, start=date(2025, 1, 2))  # a Thursday
    _, event, _ = export("fall", plan)
    assert event.decoded("DTSTART") == datetime(2025, 1, 3, 18, 30)  # Friday
    assert event["RRULE"]["COUNT"] == [4]


def test_uid_is_stable_and_differs_per_plan():
    uid = lambda plan: str(export("fall", plan)[1]["UID"])  # noqa: E731
    first = uid(PLAN)
    assert first == uid(Schedule(PLAN.at, PLAN.days, weeks=2, start=date(2025, 3, 1)))
    assert first.endswith("@pose-coach")
    assert first != uid(Schedule(PLAN.at, ("TU",), PLAN.weeks, PLAN.start))
    assert first != uid(Schedule(time(8, 0), PLAN.days, PLAN.weeks, PLAN.start))


def test_changed_dose_describes_the_timeline_as_dosed():
    timeline, event, _ = export("fall", PLAN, Dose(sets=2))
    description = str(event["DESCRIPTION"])
    assert "Fall from the pose (2 sets)" in description
    assert event.decoded("DURATION") == timedelta(seconds=math.ceil(timeline.total))
    for cue in timeline.cues:
        assert cue.text in description


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon,wed,fri", ("MO", "WE", "FR")),
        ("Fri, Monday", ("MO", "FR")),
        ("tu,thu,tue", ("TU", "TH")),
        ("sun sat", ("SA", "SU")),
    ],
)
def test_parse_days(text, expected):
    assert parse_days(text) == expected


@pytest.mark.parametrize("text", ["", ",", "mon,funday", "weekdays"])
def test_parse_days_rejects(text):
    with pytest.raises(ValueError):
        parse_days(text)


def test_parse_time():
    assert parse_time("07:00") == time(7, 0)
    assert parse_time("7:05") == time(7, 5)
    for bad in ("7", "24:00", "07:60", "7:5", "7am", "07:00:00"):
        with pytest.raises(ValueError):
            parse_time(bad)


def test_plan_needs_days_and_weeks():
    for days, weeks in (((), 1), (("XX",), 1), (("MO",), 0)):
        with pytest.raises(ValueError):
            Schedule(time(7, 0), days, weeks, date(2025, 1, 1))
