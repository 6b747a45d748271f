"""The active plan, read from the practice log and judged by the rules as of a date.

This is the one place that joins the stored records (``log/plans.py``) to the plan file
and the pure rules (``plan/rules.py``); the commands and ``today`` use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pose_coach.errors import PoseCoachError, UnknownIdError
from pose_coach.library.cadence import RunnerCadence
from pose_coach.log import plans as records
from pose_coach.log.plans import CadenceBaseline, Enrollment
from pose_coach.log.store import PracticeLog
from pose_coach.plan.catalog import PlanCatalog
from pose_coach.plan.model import Plan, PlanSession
from pose_coach.plan.rules import PlanState, cadence_target, evaluate


class NoActivePlanError(PoseCoachError):
    """No plan is being followed."""

    def __init__(self) -> None:
        super().__init__(
            "no plan is active",
            "start one: pose-coach plan start beginner-6-weeks "
            "(pose-coach plan list shows every plan)",
        )


class PlanGoneError(PoseCoachError):
    """The active plan's file can no longer be found or read."""


@dataclass(frozen=True)
class ActivePlan:
    enrollment: Enrollment
    plan: Plan
    state: PlanState
    own: RunnerCadence  # the runner's own cadence (pose_coach.cadence) and its source
    baseline: CadenceBaseline | None  # the newest stored baseline, plan or not

    @property
    def session(self) -> PlanSession:
        """The session due next (today's when one is due today)."""
        return self.plan.week(self.state.week).sessions[self.state.day - 1]

    def cadence_for(self, session: PlanSession, week: int | None = None) -> int | None:
        """The metronome for a session's pieces in form, when the plan sets one."""
        rule = self.plan.cadence
        week = self.state.week if week is None else week
        if (
            rule is None
            or session.run is None
            or not session.run.in_form
            or week < rule.from_week
            or self.own.is_default  # 180 is a reference, not this runner's: no metronome
        ):
            return None
        level = max(self.state.cadence_level, 1)
        return cadence_target(self.own.spm, level, rule.step_percent)


def judge(
    log: PracticeLog, enrollment: Enrollment, plan: Plan, today: date, own_known: bool = False
) -> PlanState:
    """The rules applied to everything the log holds for ``enrollment``, as of ``today``;
    ``own_known``: the runner's cadence is their own (a setting or a baseline)."""
    # every baseline in turn: one measured before the plan began counts from its start
    return evaluate(
        plan,
        enrollment.start_date,
        enrollment.days,
        records.plan_days(log, enrollment.id),
        records.checkins(log, enrollment_id=enrollment.id),
        today,
        baselines=records.baselines(log),
        cadence_known=own_known,
    )


def active_plan(log: PracticeLog | None, catalog: PlanCatalog, today: date) -> ActivePlan:
    """The plan being followed and where the runner stands; NoActivePlanError when none."""
    enrollment = records.active_enrollment(log) if log is not None else None
    if log is None or enrollment is None:
        raise NoActivePlanError()
    try:
        plan = catalog.get(enrollment.plan_id)
    except UnknownIdError:
        raise PlanGoneError(
            f"the active plan '{enrollment.plan_id}' is no longer in the library",
            "put its file back, or end it: pose-coach plan stop",
        ) from None
    from pose_coach.plan.cadence import own_cadence

    own = own_cadence()
    state = judge(log, enrollment, plan, today, own_known=not own.is_default)
    return ActivePlan(enrollment, plan, state, own, records.latest_baseline(log))
