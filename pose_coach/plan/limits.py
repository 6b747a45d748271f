"""How much running in the new form the sources support: the limits every plan is held to.

The numbers come from the fact sheet the drill library is built on; each limit names its
source, and the loader refuses a plan (built-in or the user's own) that goes past one,
at the week and field that does. Limits apply to the plan as written; the rules
(``plan/rules.py``) only ever move a runner back or hold them, never past a week.
"""

from __future__ import annotations

from dataclasses import dataclass

from pose_coach.errors import Problem
from pose_coach.plan.model import Plan, PlanWeek


@dataclass(frozen=True)
class Limit:
    value: int
    source: str  # who says so, in a few words, for messages and docs/plans.md


# Drills alone for at least a week before any running in the new form.
DRILL_WEEKS = Limit(1, "TA Physio, “Pose Running Drills”: practise the drills a week first")
# The first runs hold 5 minutes in the form, inside a 30-minute run...
FIRST_FORM_MINUTES = Limit(5, "Jen Rulon, “12th Day of Pose Method Running”: 5 min of a 30-min run")
# ...then 7, "and so on": two minutes more at a time.
WEEKLY_INCREASE = Limit(2, "Jen Rulon, “12th Day of Pose Method Running”: 5 min, then 7, and so on")
# Runs in the new form of 400-800 m at a time...
PIECE_MAX_M = Limit(800, "CrossFit board, “Calf Strain while POSE running”: 400-800 m at a time")
# ...and a coached six-week programme never ran more than 6 minutes in one go.
PIECE_MAX_MINUTES = Limit(6, "CrossFit board, “Calf Strain while POSE running”: never over 6 min")
# Cadence: +5 % step rate lowered Achilles stress; raise it gradually, not in big jumps...
CADENCE_STEP_PERCENT = Limit(5, "Lyght et al. 2016 (+5 % step rate); Mediterra: raise gradually")
# ...+5-10 % above the runner's own is what the evidence covers.
CADENCE_MAX_PERCENT = Limit(10, "Heiderscheit et al. 2011: 5-10 % above the runner's own")
# A skill day: drills and 25-50 m run-outs for 30-45 minutes, once a week.
SKILL_DAY_MINUTES = (30, 45)  # Tabata Times, “Pose Running, Part 2”
SKILL_DAY_SOURCE = "Tabata Times, “Pose Running, Part 2”: 30-45 min, once a week"

LIMITS = {
    "drill_weeks": DRILL_WEEKS,
    "first_form_minutes": FIRST_FORM_MINUTES,
    "weekly_increase_minutes": WEEKLY_INCREASE,
    "piece_max_m": PIECE_MAX_M,
    "piece_max_minutes": PIECE_MAX_MINUTES,
    "cadence_step_percent": CADENCE_STEP_PERCENT,
    "cadence_max_percent": CADENCE_MAX_PERCENT,
}


def allowed_form_minutes(previous: int | None) -> int:
    """The most running in the new form a week may hold after a week with ``previous``
    minutes of it (None: no week in the form yet)."""
    if not previous:
        return FIRST_FORM_MINUTES.value
    return previous + WEEKLY_INCREASE.value


def limit_problems(plan: Plan) -> list[Problem]:
    """Every place the plan asks for more running in the new form than the sources support."""
    problems: list[Problem] = []
    previous: int | None = None
    for week in plan.weeks:
        if week.number <= DRILL_WEEKS.value and not plan.already_drilling:
            problems += _drills_first(week)
        allowed = allowed_form_minutes(previous)
        for index, session in enumerate(week.sessions):
            run = session.run
            if run is None:
                continue
            field = f"weeks[{week.number - 1}].sessions[{index}].run"
            where = run.where
            if run.form_minutes > allowed and not (
                week.number <= DRILL_WEEKS.value and not plan.already_drilling
            ):
                base = (
                    "the first week in the form may hold"
                    if not previous
                    else f"after {previous} min the week before, the sources support"
                )
                source = FIRST_FORM_MINUTES if not previous else WEEKLY_INCREASE
                problems.append(
                    Problem(
                        where.path,
                        where.line,
                        where.column,
                        f"{field}.form_minutes",
                        f"{run.form_minutes} min in the new form in week {week.number}; "
                        f"{base} at most {allowed} ({source.source})",
                    )
                )
            if run.piece_max_m is not None and run.piece_max_m > PIECE_MAX_M.value:
                problems.append(
                    Problem(
                        where.path,
                        where.line,
                        where.column,
                        f"{field}.piece_max_m",
                        f"pieces of {run.piece_max_m} m; the sources support at most "
                        f"{PIECE_MAX_M.value} m at a time ({PIECE_MAX_M.source})",
                    )
                )
            if run.piece_max_minutes is not None and run.piece_max_minutes > (
                PIECE_MAX_MINUTES.value
            ):
                problems.append(
                    Problem(
                        where.path,
                        where.line,
                        where.column,
                        f"{field}.piece_max_minutes",
                        f"pieces of {run.piece_max_minutes} min; the sources support at most "
                        f"{PIECE_MAX_MINUTES.value} min in one go ({PIECE_MAX_MINUTES.source})",
                    )
                )
        drills_only = week.number <= DRILL_WEEKS.value and not plan.already_drilling
        if week.form_minutes and not drills_only:  # a refused week sets no precedent
            previous = max(previous or 0, week.form_minutes)
    rule = plan.cadence
    if rule is not None:
        where = rule.where
        if rule.step_percent > CADENCE_STEP_PERCENT.value:
            problems.append(
                Problem(
                    where.path,
                    where.line,
                    where.column,
                    "cadence.step_percent",
                    f"raises of {rule.step_percent} %; the sources support about "
                    f"{CADENCE_STEP_PERCENT.value} % at a time ({CADENCE_STEP_PERCENT.source})",
                )
            )
        if rule.max_percent > CADENCE_MAX_PERCENT.value:
            problems.append(
                Problem(
                    where.path,
                    where.line,
                    where.column,
                    "cadence.max_percent",
                    f"{rule.max_percent} % above the runner's own cadence; the sources cover "
                    f"{CADENCE_MAX_PERCENT.value} % ({CADENCE_MAX_PERCENT.source})",
                )
            )
    # a week written once with ``repeat`` is one place in the file: one problem there
    unique: dict[tuple, Problem] = {}
    for problem in problems:
        unique.setdefault((problem.path, problem.line, problem.column, problem.field), problem)
    return list(unique.values())


def _drills_first(week: PlanWeek) -> list[Problem]:
    out = []
    for index, session in enumerate(week.sessions):
        run = session.run
        if run is not None and run.in_form:
            out.append(
                Problem(
                    run.where.path,
                    run.where.line,
                    run.where.column,
                    f"weeks[{week.number - 1}].sessions[{index}].run.form_minutes",
                    f"running in the new form in week {week.number}; drills come first for "
                    f"at least {DRILL_WEEKS.value} week ({DRILL_WEEKS.source}); "
                    "for a runner who drills already, set already_drilling: true",
                )
            )
    return out
