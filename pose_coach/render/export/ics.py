"""iCalendar export: a weekly recurring event whose description is the session's cue sheet.

One VEVENT with ``RRULE:FREQ=WEEKLY;BYDAY=…;COUNT=weeks×days``. The start is floating
local time (07:00 wherever the calendar is), so no time-zone data is needed. The UID
depends only on the id, the days and the time, so importing an updated plan again
replaces the old one instead of adding a copy.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from pose_coach import __version__, words
from pose_coach.library.model import Entry
from pose_coach.render.sheet import text_sheet
from pose_coach.render.sheet.model import CHECK_MARK
from pose_coach.timeline import EventKind, Timeline

# iCalendar's two-letter day codes, Monday first (date.weekday() order)
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = {
    name: code
    for code, full in zip(
        DAY_CODES,
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        strict=True,
    )
    for name in (full, full[:3], full[:2])
}
_DAY_NAMES.update({"tue": "TU", "tues": "TU", "thu": "TH", "thur": "TH", "thurs": "TH"})


@dataclass(frozen=True)
class Schedule:
    """When the sessions happen: a time of day on some weekdays, for some weeks."""

    at: time
    days: tuple[str, ...]  # iCalendar codes in week order, e.g. ("MO", "WE", "FR")
    weeks: int
    start: date  # the first session is on the first chosen day on or after this date

    def __post_init__(self) -> None:
        if not self.days or not set(self.days) <= set(DAY_CODES) or self.weeks < 1:
            raise ValueError(f"a schedule needs weekdays from {DAY_CODES} and at least one week")

    @property
    def first(self) -> datetime:
        day = self.start
        while DAY_CODES[day.weekday()] not in self.days:
            day += timedelta(days=1)
        return datetime.combine(day, self.at)

    @property
    def count(self) -> int:
        return self.weeks * len(self.days)


def parse_days(text: str) -> tuple[str, ...]:
    """``"mon,wed,fri"`` → ``("MO", "WE", "FR")``; raises ValueError naming a bad day."""
    codes = set()
    for part in text.replace(" ", ",").split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in _DAY_NAMES:
            raise ValueError(f"'{part.strip()}' is not a weekday (use mon,tue,wed,thu,fri,sat,sun)")
        codes.add(_DAY_NAMES[name])
    if not codes:
        raise ValueError("name at least one weekday, e.g. mon,wed,fri")
    return tuple(code for code in DAY_CODES if code in codes)


def parse_time(text: str) -> time:
    """``"07:00"`` or ``"7:00"`` (24-hour clock); raises ValueError otherwise."""
    hours, sep, minutes = text.strip().partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"'{text}' is not a time of day like 07:00 (24-hour HH:MM)")
    if int(hours) > 23 or int(minutes) > 59:
        raise ValueError(f"'{text}' is not a time of day like 07:00 (24-hour HH:MM)")
    return time(int(hours), int(minutes))


def timeline_text(timeline: Timeline, play: str) -> str:
    """A compact text cue sheet from the timeline itself: each drill once, as dosed."""
    lines = [
        f"Play it: {play}",
        "",
        f"{timeline.title}: {words.clock(timeline.total)}, {timeline.step_count} steps",
    ]
    for event in timeline.events:
        if event.kind is EventKind.DRILL_START:
            lines.append(f"{event.item}. {event.text}")
        elif event.kind is EventKind.SET_START and event.set == 1:
            if timeline.kind == "drill":
                lines.append(timeline.title)
            if event.sets and event.sets > 1:
                lines[-1] += f" ({event.sets} sets)"
        elif event.kind is EventKind.CUE and event.set == 1:
            marks = f"{CHECK_MARK} " if event.checkpoint else ""
            extra = [event.side] if event.side else []
            if event.cadence:
                extra.append(f"{event.cadence} steps/min")
            if event.open:
                extra.append(words.OPEN_STEP)
            more = f" ({', '.join(extra)})" if extra else ""
            lines.append(f"  {words.clock(event.duration):>5}  {marks}{event.text}{more}")
        elif event.kind is EventKind.REST and event.set == 1:
            lines.append(f"  {words.clock(event.duration):>5}  rest between sets")
        elif event.kind is EventKind.REST and event.set is None:
            lines.append(f"Rest {words.clock(event.duration)}")
    return "\n".join(lines).rstrip() + "\n"


def description_text(
    timeline: Timeline, entry: Entry, library: dict[str, Entry], play: str, *, dose_changed: bool
) -> str:
    """The event description: how to play it, then the cue sheet.

    The shared cue sheet (``render/sheet/``) shows each drill at its own dose, so
    when --sets or --rest changed the dose (``dose_changed``) the sheet is built from the
    timeline instead.
    """
    if dose_changed:
        return timeline_text(timeline, play)
    return f"Play it: {play}\n\n" + text_sheet([entry], library)


def ics_bytes(
    timeline: Timeline, schedule: Schedule, description: str, *, now: datetime | None = None
) -> bytes:
    """The iCalendar file (UTF-8, CRLF lines) for ``timeline`` played on ``schedule``."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//pose-coach//pose-coach {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")

    event = Event()
    key = f"pose-coach:{timeline.kind}:{timeline.id}:{','.join(schedule.days)}:{schedule.at:%H:%M}"
    event.add("uid", f"{uuid.uuid5(uuid.NAMESPACE_URL, key)}@pose-coach")
    event.add("dtstamp", (now or datetime.now(timezone.utc)).astimezone(timezone.utc))
    event.add("summary", f"{timeline.title} (pose-coach)")
    event.add("dtstart", schedule.first)  # a naive datetime: floating local time
    event.add("duration", timedelta(seconds=math.ceil(timeline.total)))
    event.add("rrule", {"freq": "weekly", "byday": list(schedule.days), "count": schedule.count})
    event.add("description", description)
    event.add("categories", ["Running", "Drills"])
    calendar.add_component(event)
    return calendar.to_ical()
