"""Plans on the screen: ``today``, ``plan show`` and ``plan status`` as text.

Each screen is a list of (label, text) rows, printed as aligned plain lines in a pipe and
through rich (``Text`` only, never markup: plan text comes from files) on a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from pose_coach import words
from pose_coach.errors import printable
from pose_coach.library.model import Entry
from pose_coach.plan.cadence import cadence_dict
from pose_coach.plan.loader import WEEKDAYS
from pose_coach.plan.model import Plan, PlanSession, PlanWeek
from pose_coach.plan.rules import PlanState, TodayKind, projected_dates
from pose_coach.plan.state import ActivePlan
from pose_coach.plan.today import CHECKIN, PLAY, TodayView

Row = tuple[str, str]  # (label, text); an empty label continues the row above
LABEL_WIDTH = 9


def clean(text: str) -> str:
    return printable(text.replace("\n", " "))


def days_words(days: Sequence[int]) -> str:
    return ", ".join(WEEKDAYS[d].title() for d in days)


# -- today ---------------------------------------------------------------------------


def today_rows(view: TodayView) -> tuple[str, list[Row]]:
    """The headline and the rows of ``pose-coach today``."""
    rows: list[Row] = [("Why", view.why)]
    state = view.state
    kind = view.kind
    if kind is TodayKind.STOPPED:
        rows += [
            ("Do", "no running in the new form until a clinician has seen the pain"),
            (
                "Then",
                f"when you are cleared: pose-coach plan stop, then pose-coach plan start "
                f"{view.plan.id}",
            ),
        ]
        return view.headline(), rows
    if kind is TodayKind.FINISHED:
        rows += [
            (
                "Next",
                "keep the weekly skill day, and add minutes in the form slowly, "
                "a couple at a time, while your calves stay calm",
            ),
            ("", "start another plan: pose-coach plan list"),
        ]
        return view.headline(), rows
    question = view.missed_question()
    if question:
        rows += [
            ("Missed", question),
            ("", f"do it: {PLAY}"),
            ("", "skip it: pose-coach today --skip"),
        ]
    session = view.session
    if view.due_today and session is not None:
        rows += session_rows(session, view.plan.week(session.week))
        rows += [("Then", f"check in: {CHECKIN} (calf/Achilles soreness 0-10)")]
        rows += [("Safety", line) if i == 0 else ("", line) for i, line in enumerate(view.safety)]
    else:
        next_text = view.next_text()
        if state.week_complete:
            rows.append(("Check in", f"{CHECKIN}: soreness 0-10 ({words.SORENESS_SCALE})"))
        elif next_text:
            rows.append(("Next", next_text.removeprefix("Next session: ")))
        last = state.last_checkin
        if kind is TodayKind.DONE and not state.week_complete:
            if last is None or last.on_date != state.today:
                rows.append(("Check in", f"how do your calves feel? {CHECKIN}"))
    return view.headline(), rows


def session_rows(session, week: PlanWeek) -> list[Row]:
    rows: list[Row] = [
        (
            "Session",
            f"{session.title} ({max(round(session.minutes), 1)} min, "
            f"{session.session.kind} {session.session.ref})",
        ),
        ("", f"play it: {PLAY}"),
    ]
    if session.run:
        rows.append(("Run", session.run))
    if session.cadence_text:
        rows.append(("", session.cadence_text))
    if session.session.note:
        rows.append(("Note", session.session.note))
    if week.note and session.day == 1:
        rows.append(("Week", week.note))
    elif week.note and not session.runs_in_form:
        rows.append(("Week", week.note))
    return rows


def print_rows(
    headline: str,
    rows: Sequence[Row],
    *,
    terminal: bool,
    color: bool = True,
    stream: TextIO | None = None,
) -> None:
    stream = stream or sys.stdout
    if not terminal:
        stream.write(clean(headline) + "\n")
        for label, text in rows:
            stream.write(f"{label:<{LABEL_WIDTH}} {clean(text)}".rstrip() + "\n")
        return
    from rich.table import Table
    from rich.text import Text

    from pose_coach.terminal import plain_console

    console = plain_console(stream, color)
    console.print(Text(clean(headline), style="bold"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column()
    for label, text in rows:
        style = "yellow" if label in ("Safety", "Missed", "Do") else ""
        grid.add_row(Text(label), Text(clean(text), style=style))
    console.print(grid)


# -- plan show ------------------------------------------------------------------------


def session_cell(session: PlanSession) -> str:
    return session.ref + (" + run" if session.run else "")


def week_form(week: PlanWeek) -> tuple[str, str]:
    """(in form, pieces) of a week: ``5 min``, ``≤400 m``."""
    runs = [s.run for s in week.sessions if s.run is not None and s.run.in_form]
    if not runs:
        return "—", "—"
    pieces = {
        " or ".join(
            p
            for p in (
                f"≤{r.piece_max_m} m" if r.piece_max_m else "",
                f"≤{r.piece_max_minutes} min" if r.piece_max_minutes else "",
            )
            if p
        )
        for r in runs
    }
    return f"{week.form_minutes} min", ", ".join(sorted(pieces))


def week_status(week: PlanWeek, state: PlanState | None, dates: Mapping) -> str:
    if state is None:
        return ""
    if state.finished or week.number < state.week:
        return "done"
    if week.number == state.week:
        if state.is_stopped:
            return "stopped"
        if state.week_complete:
            return "◀ done, check in"
        return f"◀ now: day {state.day} of {len(week.sessions)}"
    first = dates.get((week.number, 1))
    return f"from {words.day_date(first)}" if first else ""


SHOW_HEADERS = ("WEEK", "FOCUS", "IN FORM", "PIECES", "SESSIONS")


def show_table(
    plan: Plan, active: ActivePlan | None
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    state = active.state if active is not None else None
    dates = (
        projected_dates(state, plan, active.enrollment.days)
        if state is not None and active is not None
        else {}
    )
    headers = SHOW_HEADERS + (("WHEN",) if state is not None else ())
    rows = []
    for week in plan.weeks:
        form, pieces = week_form(week)
        row: tuple[str, ...] = (
            str(week.number),
            clean(week.title),
            form,
            pieces,
            " · ".join(session_cell(s) for s in week.sessions),
        )
        if state is not None:
            row += (week_status(week, state, dates),)
        rows.append(row)
    return headers, rows


def plan_lines(plan: Plan) -> list[Row]:
    """The rules, cadence, safety and sources under the table."""
    rules = plan.rules

    def cited(keys: Sequence[str]) -> str:
        return f" [{', '.join(dict.fromkeys(keys))}]" if keys else ""

    out: list[Row] = [
        (
            "Go on",
            f"to the next week when every session was done and calf/Achilles soreness "
            f"stayed at most {rules.progress_max}/10"
            + (f", not rising at {rules.rising} check-ins in a row" if rules.rising else "")
            + cited(rules.sources.get("progress", ()) + rules.sources.get("hold", ())),
        ),
        (
            "Step back",
            f"one week at once on soreness {rules.step_back_min}/10 or more, or after "
            f"{rules.missed_days} days without a session"
            + cited(rules.sources.get("step_back", ())),
        ),
        (
            "Stop",
            "on a sharp pain: no more running in the new form; see a clinician"
            + cited(rules.sources.get("stop", ())),
        ),
    ]
    if plan.cadence is not None:
        rule = plan.cadence
        out.append(
            (
                "Cadence",
                f"from week {rule.from_week}, a metronome for the pieces in form at "
                f"+{rule.step_percent} % of your own cadence (pose-coach cadence test), "
                f"+{rule.step_percent} % more after a week that felt easy, at most "
                f"+{rule.max_percent} %" + cited(rule.sources),
            )
        )
    for i, line in enumerate(plan.safety + words.PLAN_SAFETY if plan.runs_in_form else plan.safety):
        out.append(("Safety" if i == 0 else "", line))
    for i, (key, text) in enumerate(plan.sources.items()):
        out.append(("Sources" if i == 0 else "", f"[{key}] {text}"))
    return out


def print_show(
    plan: Plan,
    active: ActivePlan | None,
    *,
    terminal: bool,
    color: bool = True,
    stream: TextIO | None = None,
) -> None:
    stream = stream or sys.stdout
    headers, rows = show_table(plan, active)
    intro = [clean(f"{plan.title} ({plan.id})"), clean(plan.summary)]
    if active is not None:
        state = active.state
        where = (
            "finished"
            if state.finished
            else "stopped"
            if state.is_stopped
            else f"you are in week {state.week}, day {state.day}"
        )
        intro.append(
            f"Started {words.day_date(active.enrollment.start_date)} "
            f"{active.enrollment.start_date.year} on {days_words(active.enrollment.days)}; {where}."
        )
    else:
        intro.append(
            f"{len(plan.weeks)} weeks, {plan.sessions_per_week} sessions a week "
            f"(default days: {days_words(plan.days)}). Start it: pose-coach plan start {plan.id}"
        )
    below = plan_lines(plan)
    if not terminal:
        for line in intro:
            stream.write(line + "\n")
        stream.write("\n")
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        for row in [headers, *rows]:
            cells = (c.ljust(w) for c, w in zip(row, widths, strict=True))
            stream.write("  ".join(cells).rstrip() + "\n")
        stream.write("\n")
        for label, text in below:
            stream.write(f"{label:<{LABEL_WIDTH}} {clean(text)}".rstrip() + "\n")
        return
    from rich.table import Table
    from rich.text import Text

    from pose_coach.terminal import plain_console

    console = plain_console(stream, color)
    console.print(Text(intro[0], style="bold"))
    for line in intro[1:]:
        console.print(Text(line))
    table = Table(header_style="bold", box=None, pad_edge=False)
    for header in headers:
        table.add_column(header, no_wrap=header in ("WEEK", "IN FORM", "PIECES"))
    for row in rows:
        now = len(row) > 5 and row[5].startswith("◀")
        table.add_row(*(Text(cell, style="bold cyan" if now else "") for cell in row))
    console.print()
    console.print(table)
    console.print()
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column()
    for label, text in below:
        grid.add_row(Text(label), Text(clean(text)))
    console.print(grid)


# -- plan status ----------------------------------------------------------------------


def status_dict(active: ActivePlan, entries: Mapping[str, Entry]) -> dict[str, Any]:
    from pose_coach.plan.today import today_view

    state = active.state
    plan = active.plan
    view = today_view(active, entries)
    target = view.session.cadence if view.session else None
    return {
        "active": True,
        "plan": plan.id,
        "title": plan.title,
        "state": "stopped" if state.is_stopped else "finished" if state.finished else "active",
        "started_on": active.enrollment.start_date.isoformat(),
        "days": [WEEKDAYS[d] for d in active.enrollment.days],
        "week": state.week,
        "day": state.day,
        "weeks": len(plan.weeks),
        "sessions_per_week": plan.sessions_per_week,
        "week_complete": state.week_complete,
        "today": state.today_kind.value,
        "next_date": state.next_date.isoformat() if state.next_date else None,
        "missed": [d.isoformat() for d in state.missed],
        "decision": state.decision.to_dict(),
        "history": [d.to_dict() for d in state.history],
        "sessions_done": state.sessions_done,
        "sessions_skipped": state.sessions_skipped,
        "last_checkin": state.last_checkin.to_dict() if state.last_checkin else None,
        "cadence": {
            "own": cadence_dict(active.own, active.baseline),
            "level": state.cadence_level,
            "target_spm": target,
        },
        "why": view.why,
    }


def status_rows(active: ActivePlan, entries: Mapping[str, Entry]) -> tuple[str, list[Row]]:
    data = status_dict(active, entries)
    state = active.state
    plan = active.plan
    enrollment = active.enrollment
    rows: list[Row] = [
        (
            "Started",
            f"{words.day_date(enrollment.start_date)} {enrollment.start_date.year}, "
            f"on {days_words(enrollment.days)}",
        ),
        (
            "Now",
            f"week {state.week} of {len(plan.weeks)}, day {state.day} of "
            f"{len(plan.week(state.week).sessions)}"
            + (" — " + data["state"] if data["state"] != "active" else ""),
        ),
        ("Why", data["why"]),
        ("Sessions", f"{state.sessions_done} done, {state.sessions_skipped} skipped"),
    ]
    if state.next_date is not None:
        rows.append(("Next", words.day_date(state.next_date)))
    if state.missed:
        rows.append(("Missed", ", ".join(words.day_date(d) for d in state.missed)))
    last = state.last_checkin
    if last is not None:
        note = f' ("{last.note}")' if last.note else ""
        rows.append(
            (
                "Soreness",
                f"{words.soreness(last.soreness, last.sharp_pain)} on "
                f"{words.day_date(last.on_date)}{note}",
            )
        )
    own = active.own
    cadence = f"{own.spm} steps/min ({own.source})"
    if data["cadence"]["target_spm"]:
        cadence += f"; pieces in form at {data['cadence']['target_spm']}"
    rows.append(("Cadence", cadence))
    for decision in state.history[-3:]:
        rows.append(
            (
                "History" if decision is state.history[-3:][0] else "",
                f"{words.day_date(decision.on)}: {decision.reason}",
            )
        )
    return f"{plan.title} ({plan.id})", rows
