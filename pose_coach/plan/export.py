"""A plan as data (``plan show --json``), as a calendar (one dated event per session, with
its prescription) and as FIT workouts (one per session: its drills, then its run).

The dates are where each session falls when none is missed: from the runner's position
in the active plan, or from a start date for a plan not begun.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from pose_coach import __version__, words
from pose_coach.library.model import Entry
from pose_coach.plan.loader import WEEKDAYS
from pose_coach.plan.model import Plan, PlanSession
from pose_coach.plan.schedule import next_training_day


def plan_dict(plan: Plan) -> dict[str, Any]:
    """Everything a plan file says, as JSON-ready data (docs/plans.md)."""
    rules = plan.rules
    return {
        "id": plan.id,
        "title": plan.title,
        "summary": plan.summary,
        "level": plan.level,
        "days": [WEEKDAYS[d] for d in plan.days],
        "already_drilling": plan.already_drilling,
        "sessions_per_week": plan.sessions_per_week,
        "weeks": [
            {
                "week": week.number,
                "title": week.title,
                "note": week.note,
                "form_minutes": week.form_minutes,
                "sources": list(week.sources),
                "sessions": [session_dict(s) for s in week.sessions],
            }
            for week in plan.weeks
        ],
        "rules": {
            "progress": {"soreness_at_most": rules.progress_max},
            "hold": {"soreness_rising": rules.rising},
            "step_back": {
                "soreness_at_least": rules.step_back_min,
                "missed_days": rules.missed_days,
            },
            "stop": {"sharp_pain": True},
            "sources": {k: list(v) for k, v in rules.sources.items()},
        },
        "cadence": None
        if plan.cadence is None
        else {
            "from_week": plan.cadence.from_week,
            "step_percent": plan.cadence.step_percent,
            "max_percent": plan.cadence.max_percent,
            "sources": list(plan.cadence.sources),
        },
        "safety": list(plan.safety) + (list(words.PLAN_SAFETY) if plan.runs_in_form else []),
        "sources": dict(plan.sources),
        "source": plan.source,
    }


def session_dict(session: PlanSession) -> dict[str, Any]:
    run = session.run
    return {
        "kind": session.kind,
        "id": session.ref,
        "title": session.title,
        "note": session.note,
        "run": None
        if run is None
        else {
            "minutes": run.minutes,
            "form_minutes": run.form_minutes,
            "piece_max_m": run.piece_max_m,
            "piece_max_minutes": run.piece_max_minutes,
            "sources": list(run.sources),
        },
    }


@dataclass(frozen=True)
class DatedSession:
    """One session of a plan on the day it falls."""

    week: int
    day: int
    on: date
    session: PlanSession
    title: str
    drill_seconds: float
    cadence: int | None = None  # the metronome for its pieces in form, when known

    @property
    def seconds(self) -> float:
        run = self.session.run.minutes * 60 if self.session.run is not None else 0
        return self.drill_seconds + run


def dated_sessions(
    plan: Plan,
    entries: Mapping[str, Entry],
    days: tuple[int, ...],
    first: date,
    *,
    from_week: int = 1,
    from_day: int = 1,
    cadence: Mapping[int, int | None] | None = None,
) -> list[DatedSession]:
    """Every session from (``from_week``, ``from_day``) on, one per training day from
    ``first``; ``cadence``: week → its metronome (None: none known)."""
    from pose_coach.timeline import compile_timeline

    out: list[DatedSession] = []
    cursor = first
    for week in plan.weeks[from_week - 1 :]:
        for number, session in enumerate(week.sessions, start=1):
            if week.number == from_week and number < from_day:
                continue
            cursor = next_training_day(days, cursor)
            entry = entries.get(session.ref)
            seconds = compile_timeline(entry, entries).total if entry is not None else 0.0
            title = session.title or (entry.title if entry is not None else session.ref)
            spm = None
            if cadence is not None and session.run is not None and session.run.in_form:
                spm = cadence.get(week.number)
            out.append(DatedSession(week.number, number, cursor, session, title, seconds, spm))
            cursor += timedelta(days=1)
    return out


def session_text(plan: Plan, dated: DatedSession) -> str:
    """The event description: what to do, how to play it, the run, safety."""
    session = dated.session
    lines = [
        f"{plan.title}: week {dated.week}, day {dated.day}.",
        "",
        f"Drills: {dated.title} ({words.clock(dated.drill_seconds)}).",
        "Play it: pose-coach today --play",
    ]
    run = session.run
    if run is not None:
        lines.append(
            "Run: "
            + words.run_prescription(
                run.minutes, run.form_minutes, run.piece_max_m, run.piece_max_minutes
            )
            + "."
        )
        if dated.cadence:
            lines.append(f"Metronome for the pieces in form: {dated.cadence} steps/min.")
    week = plan.week(dated.week)
    if session.note:
        lines.append(session.note)
    if week.note and dated.day == 1:
        lines.append(week.note)
    if run is not None and run.in_form:
        lines += ["", "Safety:"] + [f"- {line}" for line in words.PLAN_SAFETY]
    lines += ["", "Afterwards: pose-coach checkin N (calf/Achilles soreness 0-10)."]
    return "\n".join(lines) + "\n"


def plan_ics(
    plan: Plan,
    sessions: list[DatedSession],
    at: time,
    *,
    now: datetime | None = None,
) -> bytes:
    """The plan as an iCalendar file: one event per session on its day, at ``at``
    (floating local time, as the routine calendar does), its prescription as the text."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//pose-coach//pose-coach {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    for dated in sessions:
        event = Event()
        # stable per plan, week and day: importing the calendar again replaces the events
        key = f"pose-coach:plan:{plan.id}:{dated.week}:{dated.day}"
        event.add("uid", f"{uuid.uuid5(uuid.NAMESPACE_URL, key)}@pose-coach")
        event.add("dtstamp", stamp)
        what = dated.title
        run = dated.session.run
        if run is not None:
            what += f" + run {run.minutes} min" + (
                f" ({run.form_minutes} in form)" if run.in_form else ""
            )
        event.add("summary", f"W{dated.week}D{dated.day} {what} (pose-coach)")
        event.add("dtstart", datetime.combine(dated.on, at))
        event.add("duration", timedelta(seconds=math.ceil(dated.seconds)))
        event.add("description", session_text(plan, dated))
        event.add("categories", ["Running", "Drills"])
        calendar.add_component(event)
    return calendar.to_ical()


def session_workout(dated: DatedSession, entries: Mapping[str, Entry], max_steps: int = 50):
    """(timeline, workout steps, name) of one session: its drills, then its run — easy
    running either side of an open step for the pieces in form, with their metronome.

    A session with more steps than a watch takes (a half-hour skill day) gets one step
    per drill instead of one per cue."""
    from pose_coach.render.export.fit import ACTIVE, WorkoutStep, plan_workout
    from pose_coach.timeline import compile_timeline

    entry = entries[dated.session.ref]
    timeline = compile_timeline(entry, entries)
    steps = plan_workout(timeline)
    if len(steps) + 3 > max_steps:
        steps = drill_steps(timeline)
    run = dated.session.run
    if run is not None:
        easy = "Easy run, usual form"
        if not run.in_form:
            steps.append(WorkoutStep(easy, intensity=ACTIVE, seconds=run.minutes * 60))
        else:
            around = (run.minutes - run.form_minutes) * 60 / 2
            pieces = words.run_prescription(
                run.minutes, run.form_minutes, run.piece_max_m, run.piece_max_minutes
            )
            if around > 0:
                steps.append(WorkoutStep(easy, intensity=ACTIVE, seconds=around))
            steps.append(
                WorkoutStep(
                    f"Pose form {run.form_minutes} min, pieces",
                    notes=f"{pieces}; easy running between pieces; lap when done",
                    intensity=ACTIVE,
                    seconds=run.form_minutes * 60,
                    open=True,
                    cadence=dated.cadence,
                )
            )
            if around > 0:
                steps.append(WorkoutStep(easy, intensity=ACTIVE, seconds=around))
    name = f"W{dated.week}D{dated.day} {dated.title}"
    return timeline, steps, name


def drill_steps(timeline):
    """One workout step per drill (its cues in the notes) and one per rest between drills."""
    from pose_coach.render.export.fit import RECOVERY, TEXT_BYTES, WorkoutStep, shorten
    from pose_coach.timeline import EventKind

    steps = []
    events = timeline.events
    for n, event in enumerate(events):
        if event.kind is EventKind.DRILL_START or (
            event.kind is EventKind.SET_START and timeline.kind == "drill" and event.set == 1
        ):
            end = next(
                (e.at for e in events[n + 1 :] if e.kind in (EventKind.DRILL_END,)),
                timeline.total,
            )
            cues = []
            for e in events[n + 1 :]:
                if e.kind is EventKind.DRILL_END:
                    break
                if e.kind is EventKind.CUE and e.set == 1 and e.text and e.text not in cues:
                    cues.append(e.text)
            title = event.text or timeline.title
            steps.append(
                WorkoutStep(
                    shorten(title, 50),
                    notes=shorten("; ".join(cues), TEXT_BYTES) or None,
                    seconds=max(end - event.at, 1.0),
                )
            )
        elif event.kind is EventKind.REST and event.set is None and event.duration > 0:
            steps.append(WorkoutStep("Rest", intensity=RECOVERY, seconds=event.duration))
    return steps
