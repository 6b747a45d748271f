"""Words users read, written once: clock times, plurals, doses, open-ended steps.

Every screen, sheet, calendar and message takes these from here, so the same thing is
never said two ways.
"""

from __future__ import annotations

import math
from datetime import date

# An open-ended step (``until: key``) as prose: ``show``, cue sheets, calendars.
OPEN_STEP = "until ready"
# ...and as the tag of its plain event line (a public format: docs/events.md).
OPEN_STEP_TAG = "[until key]"


def clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a number of seconds, rounded down."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def clock_up(seconds: float) -> str:
    """``h:mm:ss``, rounded up: how long a session lasts, in a limit message."""
    whole = int(math.ceil(seconds))
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def hours(seconds: float) -> str:
    """``4:16 hours``, minutes rounded up: a length far beyond a session's."""
    whole_hours, minutes = divmod(math.ceil(seconds / 60), 60)
    return f"{whole_hours}:{minutes:02d} hours"


def stopwatch(seconds: float) -> str:
    """``mm:ss``, zero-padded, rounded down: when an event fires, in its plain line."""
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 set``, ``2 sets``; ``many`` for nouns that are not made plural with an s."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def dose(sets: int, set_seconds: float, rest: float, total: float) -> str:
    """``3 sets × 0:40, 0:20 rest between sets — 2:40 in all``: how a drill is dosed."""
    text = f"{plural(sets, 'set')} × {clock(set_seconds)}"
    if sets > 1 and rest:
        text += f", {clock(rest)} rest between sets"
    return text + f" — {clock(total)} in all"


def dose_short(sets: int, set_seconds: float, rest: float) -> str:
    """``3 × 0:40, rest 0:20``: a drill's dose in a routine's list of items."""
    text = f"{sets} × {clock(set_seconds)}"
    return text + f", rest {clock(rest)}" if sets > 1 and rest else text


def seconds_spoken(seconds: float) -> str:
    """``15 seconds``, ``1 minute``, ``1 minute 30 seconds``: a length said aloud."""
    whole = max(round(seconds), 0)
    minutes, secs = divmod(whole, 60)
    parts = [plural(minutes, "minute")] if minutes else []
    if secs or not minutes:
        parts.append(plural(secs, "second"))
    return " ".join(parts)


def side_spoken(side: str) -> str:
    """``Right leg``: a change of the standing leg, said aloud."""
    return f"{side.capitalize()} leg"


# A step's ``side`` (always the standing leg) as the note printed after its cue.
SIDES = {
    "both": "each leg",
    "alternate": "legs alternate by set",
    "left": "on the left foot",
    "right": "on the right foot",
}

# A drill's ``evidence`` flag, as ``show`` and the cue sheet print it.
EVIDENCE = {
    "single-source": "single source: only one source describes these steps",
    "contested": "contested: the sources disagree on how it is done",
}


def step_cadence(spm: int | None, change: float | None) -> str | None:
    """``180 steps/min``, or ``+5% of your cadence = 189 steps/min`` for a step written as
    a change (``spm`` already counted from the runner's cadence); None without one."""
    if spm is None:
        return None
    if change is not None:
        sign = "-" if change < 0 else "+"
        return f"{sign}{abs(change):g}% of your cadence = {spm} steps/min"
    return f"{spm} steps/min"


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def weekday(day: date) -> str:
    """``Wednesday``: the day of the week of a date."""
    return WEEKDAY_NAMES[day.weekday()]


def day_date(day: date) -> str:
    """``Wed 12 Mar``: a date near today, as a calendar shows it."""
    return f"{WEEKDAY_NAMES[day.weekday()][:3]} {day.day} {_MONTHS[day.month - 1]}"


def soreness(value: int | None, sharp: bool = False) -> str:
    """``4/10``, ``sharp pain``, or ``4/10 and a sharp pain``: what a check-in said."""
    if value is None:
        return "a sharp pain" if sharp else "no soreness given"
    return f"{value}/10" + (" and a sharp pain" if sharp else "")


def run_prescription(
    minutes: int, form_minutes: int, piece_max_m: int | None, piece_max_minutes: int | None
) -> str:
    """``30 min easy, of which 5 min in the Pose form, in pieces of at most 400 m``."""
    if not form_minutes:
        return f"{minutes} min easy in your usual form"
    pieces = []
    if piece_max_m is not None:
        pieces.append(f"{piece_max_m} m")
    if piece_max_minutes is not None:
        pieces.append(f"{piece_max_minutes} min")
    return (
        f"{minutes} min easy, of which {form_minutes} min in the Pose form, "
        f"in pieces of at most {' or '.join(pieces)}"
    )


# The one safety text on every plan screen that prescribes running in the new form
# (sources: the fact sheet's "Safety" section; docs/plans.md lists them).
PLAN_SAFETY = (
    "Calf and Achilles take more load in this form: soreness for 2-4 weeks is common.",
    "Let the heel touch after you land; do not run on your toes.",
    "Sharp pain, or pain in the Achilles: stop, and see a clinician before running again.",
)
SORENESS_SCALE = "0 none, 3 mild ache, 5 or more it hurts, 'sharp' for a sharp pain"
