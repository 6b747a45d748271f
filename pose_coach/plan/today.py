"""What to do today, as one value: the session, the run, the metronome, and why.

``pose-coach today`` prints it (``plan/report.py``), ``--json`` gives its ``to_dict``,
and ``today --play`` plays its session. Built from an :class:`ActivePlan` (the rules'
verdict) and the drill library, with no clock and no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pose_coach import words
from pose_coach.library.model import Entry
from pose_coach.plan.model import Plan, PlanSession
from pose_coach.plan.rules import DecisionKind, PlanState, TodayKind
from pose_coach.plan.state import ActivePlan

PLAY = "pose-coach today --play"
CHECKIN = "pose-coach checkin N"


@dataclass(frozen=True)
class SessionInfo:
    """One session of the plan, as the runner reads it."""

    week: int
    day: int
    session: PlanSession
    title: str  # the day's name: the session's own, else its routine's title
    minutes: float  # the drills, at the routine's own dose
    run: str | None  # the run prescription in words
    cadence: int | None  # the metronome for the pieces in form
    cadence_text: str | None

    @property
    def runs_in_form(self) -> bool:
        return self.session.run is not None and self.session.run.in_form

    def summary(self) -> str:
        """``Pre-run warm-up (3 min), then 30 min easy, of which 5 min in the Pose form…``"""
        text = f"{self.title} ({_minutes(self.minutes)})"
        return text + (f", then {self.run}" if self.run else "")

    def to_dict(self) -> dict[str, Any]:
        run = self.session.run
        return {
            "week": self.week,
            "day": self.day,
            "kind": self.session.kind,
            "id": self.session.ref,
            "title": self.title,
            "minutes": round(self.minutes, 1),
            "note": self.session.note,
            "run": None
            if run is None
            else {
                "minutes": run.minutes,
                "form_minutes": run.form_minutes,
                "piece_max_m": run.piece_max_m,
                "piece_max_minutes": run.piece_max_minutes,
                "text": self.run,
                "sources": list(run.sources),
            },
            "cadence_spm": self.cadence,
        }


def _minutes(value: float) -> str:
    return f"{max(round(value), 1)} min"


def session_info(
    active: ActivePlan, week: int, day: int, entries: Mapping[str, Entry]
) -> SessionInfo:
    from pose_coach.timeline import compile_timeline

    session = active.plan.week(week).sessions[day - 1]
    entry = entries.get(session.ref)
    minutes = compile_timeline(entry, entries).total / 60 if entry is not None else 0.0
    title = session.title or (entry.title if entry is not None else session.ref)
    run = session.run
    run_text = (
        words.run_prescription(
            run.minutes, run.form_minutes, run.piece_max_m, run.piece_max_minutes
        )
        if run is not None
        else None
    )
    cadence = active.cadence_for(session, week)
    return SessionInfo(
        week, day, session, title, minutes, run_text, cadence, _cadence_text(active, session, week)
    )


def _cadence_text(active: ActivePlan, session: PlanSession, week: int) -> str | None:
    rule = active.plan.cadence
    if rule is None or session.run is None or not session.run.in_form or week < rule.from_week:
        return None
    own = active.own
    if own.is_default:
        return (
            "a metronome for the pieces in form starts this week: measure your own cadence "
            "first (pose-coach cadence test)"
        )
    target = active.cadence_for(session, week)
    percent = max(active.state.cadence_level, 1) * rule.step_percent
    return (
        f"metronome for the pieces in form: {target} steps/min (your own {own.spm} + {percent} %)"
    )


def why(state: PlanState, plan: Plan) -> str:
    """The reason in one line: ``week 2, day 3; last soreness 2/10, so the plan goes on``."""
    kind = state.decision.kind
    if state.is_stopped:
        return state.decision.reason
    if state.finished:
        return state.decision.reason
    where = f"week {state.week}, day {state.day}"
    if state.week_complete:
        return (
            f"week {state.week} is done; how your calves and Achilles feel decides what "
            f"comes next ({CHECKIN})"
        )
    fresh = not state.done  # nothing done in this week since the decision
    if kind in (DecisionKind.PROGRESS, DecisionKind.HOLD, DecisionKind.STEP_BACK) and fresh:
        text = f"{where}; {state.decision.reason}"
    elif state.last_checkin is not None and state.last_checkin.soreness is not None:
        text = f"{where}; last soreness {state.last_checkin.soreness}/10, so the plan goes on"
        highest = max((c.soreness or 0 for c in state.week_checkins), default=0)
        if highest > plan.rules.progress_max:
            text += (
                f"; soreness reached {highest}/10 this week (above {plan.rules.progress_max}/10), "
                f"so week {state.week} will be done again before the plan moves on"
            )
    elif kind is DecisionKind.START:
        text = f"{where}; the plan starts"
    else:
        text = f"{where}; no check-in yet, so the plan goes on (check in after the session)"
    if state.rising:
        shown = " → ".join(str(v) for v in state.rising)
        text += f". Soreness is rising ({shown}): if it does not settle, the plan holds this week"
    return text


@dataclass(frozen=True)
class TodayView:
    """Everything ``pose-coach today`` says."""

    plan: Plan
    state: PlanState
    started: date
    days: tuple[int, ...]
    session: SessionInfo | None  # the session due today, else the next one
    why: str
    safety: tuple[str, ...]  # when the session prescribes running in the new form

    @property
    def kind(self) -> TodayKind:
        return self.state.today_kind

    @property
    def due_today(self) -> bool:
        return self.kind in (TodayKind.SESSION, TodayKind.MISSED)

    def headline(self) -> str:
        state = self.state
        today = words.day_date(state.today)
        if self.kind is TodayKind.STOPPED:
            return f"{today}: {self.plan.title} is stopped"
        if self.kind is TodayKind.FINISHED:
            return f"{today}: {self.plan.title} is finished"
        if self.kind is TodayKind.DONE:
            return f"{today}: today's session is done"
        if self.kind is TodayKind.REST:
            return f"{today}: rest day"
        if self.kind is TodayKind.BEFORE_START:
            first = words.day_date(state.next_date) if state.next_date else "later"
            return f"{today}: the plan starts on {first}"
        return f"{today}: week {state.week}, day {state.day} of {self.plan.title}"

    def missed_question(self) -> str | None:
        """``You missed Wednesday: do it today or skip it?``"""
        missed = self.state.missed
        if not missed:
            return None
        names = [
            words.weekday(d) if (self.state.today - d).days < 7 else words.day_date(d)
            for d in missed
        ]
        shown = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        it = "it" if len(missed) == 1 else "them"
        return f"You missed {shown}: do {it} today or skip {it}?"

    def next_text(self) -> str | None:
        """``Next session: Wed 12 Mar — week 2, day 2: ...`` on a day without one."""
        if self.due_today or self.session is None or self.state.next_date is None:
            return None
        return (
            f"Next session: {words.day_date(self.state.next_date)} — week {self.session.week}, "
            f"day {self.session.day}: {self.session.summary()}"
        )

    def to_dict(self) -> dict[str, Any]:
        state = self.state
        checkin = state.last_checkin
        return {
            "date": state.today.isoformat(),
            "plan": self.plan.id,
            "title": self.plan.title,
            "today": self.kind.value,
            "week": state.week,
            "day": state.day,
            "weeks": len(self.plan.weeks),
            "week_complete": state.week_complete,
            "session": self.session.to_dict() if self.session else None,
            "due_today": self.due_today,
            "next_date": state.next_date.isoformat() if state.next_date else None,
            "missed": [d.isoformat() for d in state.missed],
            "why": self.why,
            "decision": state.decision.to_dict(),
            "last_checkin": checkin.to_dict() if checkin else None,
            "safety": list(self.safety),
        }


def today_view(active: ActivePlan, entries: Mapping[str, Entry]) -> TodayView:
    state = active.state
    session = None  # none when stopped, finished, or when what comes next waits for a check-in
    if not (state.is_stopped or state.finished or state.week_complete):
        session = session_info(active, state.week, state.day, entries)
    safety: tuple[str, ...] = ()
    if session is not None and session.runs_in_form:
        safety = words.PLAN_SAFETY
    return TodayView(
        plan=active.plan,
        state=state,
        started=active.enrollment.start_date,
        days=active.enrollment.days,
        session=session,
        why=why(state, active.plan),
        safety=safety,
    )
