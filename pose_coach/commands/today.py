"""``today`` and ``checkin``: what to do today in the plan, playing it, and the check-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

from pose_coach import words
from pose_coach.commands.common import current_terminal, json_option, session_options, warn
from pose_coach.commands.plan import (
    active_libraries,
    libraries,
    practice_log,
    print_screen,
    read_active,
    read_clock,
)
from pose_coach.errors import ExitCode, PoseCoachError, UsageError

if TYPE_CHECKING:
    from pose_coach.library.catalog import Catalog
    from pose_coach.log.store import PracticeLog
    from pose_coach.plan.catalog import PlanCatalog
    from pose_coach.plan.state import ActivePlan
    from pose_coach.plan.today import SessionInfo, TodayView


# -- check-ins -------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    soreness: int | None
    sharp: bool
    note: str | None = None
    cadence_easy: bool | None = None


def parse_soreness(text: str) -> tuple[int | None, bool]:
    """``"3"`` → (3, False); ``"sharp"`` → (None, True); ValueError otherwise."""
    value = text.strip().lower()
    if value in ("sharp", "s", "sharp pain"):
        return None, True
    if value.isdigit() and 0 <= int(value) <= 10:
        return int(value), False
    raise ValueError(f"expected a number from 0 to 10, or 'sharp', got {text.strip()!r}")


def _soreness_option(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    try:
        return parse_soreness(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def ask_checkin(after_run: bool, cadence: int | None) -> Answer | None:
    """The check-in in a terminal: soreness (the one question), the metronome on a day
    that had one, and an optional note. Enter alone: check in later (None)."""
    lead = "Back from your run? " if after_run else ""
    _drop_typed_ahead()
    for _ in range(3):
        text = click.prompt(
            f"{lead}Calf and Achilles soreness ({words.SORENESS_SCALE}; Enter: later)",
            default="",
            show_default=False,
            err=True,
        )
        if not text.strip():
            return None
        try:
            soreness, sharp = parse_soreness(text)
            break
        except ValueError as exc:
            click.echo(f"pose-coach: {exc}", err=True)
    else:
        return None
    easy = None
    if cadence is not None and not sharp:
        said = (
            click.prompt(
                f"Did the metronome at {cadence} steps/min feel easy? (y/n; Enter: skip)",
                default="",
                show_default=False,
                err=True,
            )
            .strip()
            .lower()
        )
        easy = True if said.startswith("y") else False if said.startswith("n") else None
    note = click.prompt(
        "Note (optional; Enter: none)", default="", show_default=False, err=True
    ).strip()
    return Answer(soreness, sharp, _clean_note(note), easy)


def _drop_typed_ahead() -> None:
    """Keys pressed during the session (an extra Enter at its end) are not an answer."""
    import sys

    try:
        import termios

        termios.tcflush(sys.stdin, termios.TCIFLUSH)
    except (ImportError, OSError, ValueError, AttributeError, TypeError):
        pass  # not a terminal (a test's stdin): nothing was typed ahead


def _clean_note(note: str | None) -> str | None:
    if not note:
        return None
    text = " ".join("".join(c if c.isprintable() else " " for c in note).split())
    return text[:400] or None


def _record_checkin(
    log: PracticeLog,
    active: ActivePlan | None,
    answer: Answer,
    now: datetime,
    today: date,
    *,
    week: int | None = None,
    day: int | None = None,
    cadence: int | None = None,
    session_id: str | None = None,
):
    from pose_coach.log.plans import Checkin, add_checkin
    from pose_coach.log.store import format_utc

    if active is not None and week is None:
        state = active.state
        done_today = [k for k, d in state.done_on.items() if d == today]
        week, day = state.week, (done_today[-1] if done_today else None)
    return add_checkin(
        log,
        Checkin(
            on_date=today,
            recorded_at=format_utc(now),
            recorded_epoch=int(now.timestamp()),
            soreness=answer.soreness,
            sharp_pain=answer.sharp,
            note=answer.note,
            cadence_spm=cadence,
            cadence_easy=answer.cadence_easy,
            plan_id=active.plan.id if active is not None else None,
            week=week,
            day=day,
            enrollment=active.enrollment.id if active is not None else None,
            session_id=session_id,
        ),
    )


def _after_checkin_lines(plans: PlanCatalog, today: date, entries) -> list[str]:
    """What the check-in means for the plan, read back from the log."""
    from pose_coach.plan.state import NoActivePlanError
    from pose_coach.plan.today import today_view

    try:
        active = read_active(plans, today)
    except NoActivePlanError:
        return []
    view = today_view(active, entries)
    lines = [f"Plan: {view.why}."]
    next_text = view.next_text()
    if next_text:
        lines.append(next_text)
    return lines


@click.command()
@click.argument("soreness", metavar="SORENESS", callback=_soreness_option)
@click.option("--note", metavar="NOTE", help="A note to keep with the check-in.")
@click.option(
    "--cadence-easy/--cadence-hard",
    "cadence_easy",
    default=None,
    help="Whether the metronome of the pieces in form felt easy (the plan raises it "
    "only after a week that did).",
)
@json_option
def checkin(
    soreness: tuple[int | None, bool], note: str | None, cadence_easy: bool | None, as_json: bool
) -> None:
    """Record how your calves and Achilles feel: soreness 0-10, or 'sharp'.

    0 none, 3 a mild ache, 5 or more it hurts: the plan steps back a week.
    'sharp' for a sharp pain: the plan stops, and you see a clinician.
    Without a plan, the check-in is kept in the practice log all the same.

    \b
    Example:
      pose-coach checkin 2
      pose-coach checkin 4 --note "left calf tight" --cadence-hard
      pose-coach checkin sharp
    """
    from pose_coach.plan.state import NoActivePlanError, active_plan

    now, today = read_clock()
    catalog, plans = libraries()
    answer = Answer(soreness[0], soreness[1], _clean_note(note), cadence_easy)
    log = practice_log(create=True)
    assert log is not None
    with log:
        try:
            active = active_plan(log, plans, today)
        except NoActivePlanError:
            active = None
        record = _record_checkin(log, active, answer, now, today)
    lines = _after_checkin_lines(plans, today, catalog.entries) if active else []
    if as_json:
        from pose_coach.output import print_json

        print_json({"checkin": record.to_dict(), "plan": lines})
        return
    where = (
        f" (week {record.week}" + (f", day {record.day})" if record.day else ")")
        if (record.week)
        else " (no plan is active)"
    )
    click.echo(
        f"Checked in: {words.soreness(record.soreness, record.sharp_pain)} on "
        f"{words.day_date(today)}{where}."
    )
    for line in lines:
        click.echo(line)
    if record.sharp_pain:
        click.echo(words.PLAN_SAFETY[2])


# -- today ---------------------------------------------------------------------------


@click.command()
@click.option("--play", is_flag=True, help="Play today's session (same keys as `drill`).")
@click.option(
    "--done", "mark_done", is_flag=True, help="Mark today's session done without playing it."
)
@click.option("--skip", is_flag=True, help="Skip the missed session(s), or today's.")
@click.option(
    "--soreness",
    metavar="N",
    callback=_soreness_option,
    help="Check in without a question: soreness 0-10, or 'sharp'.",
)
@click.option("--note", metavar="NOTE", help="A note with the check-in.")
@click.option(
    "--cadence-easy/--cadence-hard",
    "cadence_easy",
    default=None,
    help="With the check-in: whether the metronome felt easy.",
)
@session_options
def today(
    play: bool,
    mark_done: bool,
    skip: bool,
    soreness: tuple[int | None, bool] | None,
    note: str | None,
    cadence_easy: bool | None,
    **options: Any,
) -> ExitCode:
    """What to do today in your plan, in one screen; --play plays it.

    The session, the run and why ("week 2, day 3; last soreness 2/10, so the
    plan goes on"). On a rest day, when the next session is. After a session
    in a terminal, one question: how your calves and Achilles feel (0-10).
    --json prints the screen as data (with --play: the session's JSON Lines).

    \b
    Example:
      pose-coach today
      pose-coach today --play
      pose-coach today --play --plain --soreness 2
      pose-coach today --skip
    """
    if sum((play, mark_done, skip)) > 1:
        raise UsageError("choose one of --play, --done and --skip")
    now, day = read_clock()
    if not (play or mark_done or skip or soreness is not None):
        quick = _quick_view(day)  # the screen alone: only the files today's session needs
        if quick is not None:
            _show(quick, options["as_json"])
            return ExitCode.OK
    catalog, plans = active_libraries()
    if skip:
        _skip(plans, catalog, now, day)
    view, active = _view(plans, catalog, day)
    if play or mark_done:
        return _do_session(
            view, active, plans, catalog, now, day, play, soreness, note, cadence_easy, options
        )
    if soreness is not None:
        answer = Answer(soreness[0], soreness[1], _clean_note(note), cadence_easy)
        log = practice_log(create=True)
        assert log is not None
        with log:
            record = _record_checkin(log, active, answer, now, day)
        click.echo(
            f"pose-coach: checked in: {words.soreness(record.soreness, record.sharp_pain)}",
            err=True,
        )
        view, active = _view(plans, catalog, day)
    _show(view, options["as_json"])
    return ExitCode.OK


def _show(view: TodayView, as_json: bool) -> None:
    if as_json:
        from pose_coach.output import print_json

        print_json(view.to_dict())
        return
    from pose_coach.plan.report import today_rows

    print_screen(*today_rows(view))


def _quick_view(day: date) -> TodayView | None:
    """Today's screen from the active plan's file and the drills of today's session alone;
    None when anything needs the whole library (which then also warns about it)."""
    from pose_coach.log.plans import active_enrollment
    from pose_coach.plan.catalog import load_plans, needed_entries
    from pose_coach.plan.state import NoActivePlanError, active_plan
    from pose_coach.plan.today import today_view

    log = practice_log(create=False)
    if log is None:
        raise NoActivePlanError()
    with log:
        enrollment = active_enrollment(log)
        if enrollment is None:
            raise NoActivePlanError()
        plans = load_plans(None, only=enrollment.plan_id)
        if enrollment.plan_id not in plans.plans:
            return None
        active = active_plan(log, plans, day)
    state = active.state
    shown = not (state.is_stopped or state.finished or state.week_complete)
    entries = needed_entries([active.session.ref] if shown else [])
    return today_view(active, entries) if entries is not None else None


def _view(plans: PlanCatalog, catalog: Catalog, day: date) -> tuple[TodayView, ActivePlan]:
    from pose_coach.plan.today import today_view

    active = read_active(plans, day)
    return today_view(active, catalog.entries), active


def _skip(plans: PlanCatalog, catalog: Catalog, now: datetime, day: date) -> None:
    from pose_coach.log.plans import add_plan_day
    from pose_coach.plan.state import active_plan

    log = practice_log(create=True)
    assert log is not None
    with log:
        active = active_plan(log, plans, day)
        state = active.state
        if state.is_stopped or state.finished:
            raise UsageError(
                "nothing to skip: the plan is " + ("stopped" if state.is_stopped else "finished")
            )
        if state.missed:
            dates = list(state.missed)
        elif state.today_kind.value == "session":
            dates = [day]
        else:
            nxt = words.day_date(state.next_date) if state.next_date else "later"
            raise UsageError(f"nothing to skip today: no session is due (the next is on {nxt})")
        week, number = state.week, state.day
        sessions = len(active.plan.week(week).sessions)
        for skipped_on in dates:
            add_plan_day(log, active.enrollment.id, week, number, "skipped", skipped_on, now)
            number += 1
            if number > sessions:  # the week's end: the rules judge it
                break
    shown = ", ".join(words.weekday(d) for d in dates[: number - state.day])
    click.echo(f"pose-coach: skipped {shown}", err=True)


def _do_session(
    view: TodayView,
    active: ActivePlan,
    plans: PlanCatalog,
    catalog: Catalog,
    now: datetime,
    day: date,
    play: bool,
    soreness: tuple[int | None, bool] | None,
    note: str | None,
    cadence_easy: bool | None,
    options: dict[str, Any],
) -> ExitCode:
    from pose_coach.plan.report import today_rows

    if view.state.is_stopped:
        raise PoseCoachError(
            f"the plan is stopped: {view.why}",
            f"when a clinician has cleared you: pose-coach plan stop, then pose-coach plan "
            f"start {view.plan.id}",
        )
    if not view.due_today or view.session is None:
        headline, rows = today_rows(view)
        print_screen(headline, rows)
        click.echo("pose-coach: no session is due today; nothing to play", err=True)
        return ExitCode.OK
    session = view.session
    session_id = None
    exit_code = ExitCode.OK
    if play:
        click.echo(
            f"pose-coach: week {session.week}, day {session.day}: {session.summary()}", err=True
        )
        outcome = _play(session, options)
        if outcome is None:  # a dry run: nothing played, nothing recorded
            return ExitCode.OK
        if outcome.result is None or not outcome.result.completed:
            click.echo(
                "pose-coach: the session stopped early, so it is still due: play it again "
                "(pose-coach today --play) or skip it (pose-coach today --skip)",
                err=True,
            )
            return outcome.exit_code
        session_id = outcome.session_id
        exit_code = outcome.exit_code
    from pose_coach.log.plans import add_plan_day

    log = practice_log(create=True)
    assert log is not None
    with log:
        add_plan_day(
            log, active.enrollment.id, session.week, session.day, "done", day, now, session_id
        )
    _after_session(session, view)
    terminal = current_terminal()
    if soreness is not None:
        answer: Answer | None = Answer(soreness[0], soreness[1], _clean_note(note), cadence_easy)
    elif terminal.stdin_keys:
        answer = ask_checkin(session.runs_in_form, session.cadence)
    else:
        answer = None
    if answer is None:
        click.echo(
            "pose-coach: check in after it: pose-coach checkin N (calf/Achilles soreness 0-10)",
            err=True,
        )
        return exit_code
    from pose_coach.plan.schedule import current_time

    checked_at = max(current_time(), now)
    log = practice_log(create=True)
    assert log is not None
    with log:
        record = _record_checkin(
            log,
            active,
            answer,
            checked_at,
            day,
            week=session.week,
            day=session.day,
            cadence=session.cadence,
            session_id=session_id,
        )
    click.echo(
        f"pose-coach: checked in: {words.soreness(record.soreness, record.sharp_pain)}", err=True
    )
    for line in _after_checkin_lines(plans, day, catalog.entries):
        click.echo(f"pose-coach: {line}", err=True)
    if record.sharp_pain:
        click.echo(f"pose-coach: {words.PLAN_SAFETY[2]}", err=True)
    return exit_code


def _after_session(session: SessionInfo, view: TodayView) -> None:
    """After the drills: the run, and the safety text, on stderr (stdout is the session's)."""
    if session.run:
        click.echo(f"pose-coach: now the run: {session.run}", err=True)
    if session.cadence_text:
        click.echo(f"pose-coach: {session.cadence_text}", err=True)
    for line in view.safety:
        click.echo(f"pose-coach: safety: {line}", err=True)


def _play(session: SessionInfo, options: dict[str, Any]):
    """Play the session through ``play_session``; None for a dry run (printed here)."""
    from pose_coach.audio.setup import SoundRequest
    from pose_coach.session import SessionRequest, play_session
    from pose_coach.timeline import Dose

    request = SessionRequest(
        kind=session.session.kind,
        entry_id=session.session.ref,
        dose=Dose(sets=options["sets"], rest=options["rest"], lead_in=options["lead_in"]),
        speed=options["speed"],
        output="json" if options["as_json"] else "plain" if options["plain"] else "auto",
        dry_run=options["dry_run"],
        title=options["title"],
        wait=options["wait"],
        sound=SoundRequest(
            voice=options["voice"],
            sound=options["sound"],
            cadence=options["cadence"],
            voice_name=options["voice_name"],
            rate=options["rate"],
        ),
        log=options["log"],
    )
    outcome = play_session(request, current_terminal(), warn)
    if request.dry_run:
        from pose_coach.output import print_timeline

        print_timeline(outcome.timeline, outcome.format)
        return None
    if outcome.result is not None and outcome.format != "live":
        click.echo(f"pose-coach: {outcome.result.summary()}", err=True)
    if outcome.unrecorded:
        warn(outcome.unrecorded)
    return outcome
