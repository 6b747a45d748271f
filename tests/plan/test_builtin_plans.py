"""The built-in plans: they load, cite a source for every number, and never prescribe more
running in the new form than the fact sheet's sources support."""

from __future__ import annotations

import pytest
from plan_helpers import PLANS, builtin_plan

from pose_coach.library.catalog import load_catalog
from pose_coach.plan import limits
from pose_coach.plan.catalog import load_plans, reference_problems
from pose_coach.timeline import compile_timeline

BUILTIN = sorted(p.stem for p in PLANS.glob("*.yaml"))


def test_the_three_plans_of_the_issue_are_built_in():
    assert {"beginner-6-weeks", "drilled-4-weeks", "weekly-skill-day"} <= set(BUILTIN)
    assert len(builtin_plan("beginner-6-weeks").weeks) == 6
    assert len(builtin_plan("drilled-4-weeks").weeks) == 4
    skill = builtin_plan("weekly-skill-day")
    assert skill.sessions_per_week == 1 and not skill.runs_in_form


@pytest.mark.parametrize("plan_id", BUILTIN)
def test_every_builtin_plan_loads_without_problems(plan_id):
    catalog = load_catalog()
    plans = load_plans(catalog.entries)
    assert plans.warnings() == []
    plan = plans.get(plan_id)
    assert reference_problems(plan, catalog.entries) == []
    assert limits.limit_problems(plan) == []


@pytest.mark.parametrize("plan_id", BUILTIN)
def test_no_builtin_plan_runs_more_in_the_new_form_than_the_sources_support(plan_id):
    """Held to the numbers of the fact sheet directly, not only through the loader."""
    plan = builtin_plan(plan_id)
    previous = 0
    for week in plan.weeks:
        minutes = week.form_minutes
        if not plan.already_drilling and week.number <= 1:
            assert minutes == 0, "drills for at least a week before running in Pose [TA Physio]"
        if minutes:
            allowed = 5 if not previous else previous + 2  # 5 min, then 7, and so on [Rulon]
            assert minutes <= allowed, f"week {week.number}: {minutes} > {allowed}"
            previous = max(previous, minutes)
        for session in week.sessions:
            run = session.run
            if run is None or not run.in_form:
                continue
            assert run.form_minutes <= run.minutes
            # 400-800 m at a time; never over 6 min continuous [CrossFit board]
            assert run.piece_max_m is not None or run.piece_max_minutes is not None
            assert run.piece_max_m is None or run.piece_max_m <= 800
            assert run.piece_max_minutes is None or run.piece_max_minutes <= 6
            assert run.sources, "every number comes with its source"
    if plan.cadence is not None:
        assert plan.cadence.step_percent <= 5  # +5 % at a time [Lyght 2016; Mediterra]
        assert plan.cadence.max_percent <= 10  # 5-10 % above the runner's own [Heiderscheit]


@pytest.mark.parametrize("plan_id", BUILTIN)
def test_every_number_of_a_builtin_plan_names_a_source(plan_id):
    plan = builtin_plan(plan_id)
    for rule in ("progress", "step_back"):
        assert plan.rules.sources[rule], rule
    for key_list in plan.rules.sources.values():
        assert set(key_list) <= set(plan.sources)
    for week in plan.weeks:
        assert set(week.sources) <= set(plan.sources)
        for session in week.sessions:
            if session.run is not None:
                assert session.run.sources and set(session.run.sources) <= set(plan.sources)
    if plan.cadence is not None:
        assert plan.cadence.sources
    # the thresholds no source gives a number for say so
    assert "give no number" in plan.sources["pose-coach"]


def test_the_beginner_plan_starts_with_drills_and_grows_by_two_minutes():
    plan = builtin_plan("beginner-6-weeks")
    assert [w.form_minutes for w in plan.weeks] == [0, 5, 7, 9, 11, 13]
    assert all(w.sessions[-1].ref == "skill-day" for w in plan.weeks)


def test_the_skill_day_lasts_thirty_to_forty_five_minutes():
    catalog = load_catalog()
    low, high = limits.SKILL_DAY_MINUTES
    minutes = compile_timeline(catalog.get("skill-day"), catalog.entries).total / 60
    assert low <= minutes <= high
