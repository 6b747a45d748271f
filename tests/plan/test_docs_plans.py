"""docs/plans.md: its example plan file is valid, and its field lists match the loader."""

from __future__ import annotations

import re
from pathlib import Path

from pose_coach.library.catalog import load_catalog
from pose_coach.plan.catalog import reference_problems
from pose_coach.plan.loader import (
    PLAN_FIELDS,
    RUN_FIELDS,
    SESSION_FIELDS,
    WEEK_FIELDS,
    check_plan_text,
)

DOC = (Path(__file__).resolve().parents[2] / "docs" / "plans.md").read_text()


def test_the_example_plan_is_valid():
    [example] = re.findall(r"```yaml\n# plans/my-plan.yaml\n(.*?)```", DOC, re.DOTALL)
    plan, problems = check_plan_text(example, "my-plan.yaml", "my-plan")
    assert problems == [] and plan is not None
    assert [w.form_minutes for w in plan.weeks] == [0, 0, 5]
    assert reference_problems(plan, load_catalog().entries) == []


def test_every_top_level_field_is_in_the_table():
    table = DOC.split("Top-level fields:", 1)[1].split("\n\n", 2)[1]
    documented = re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)
    assert documented == list(PLAN_FIELDS)


def test_week_session_and_run_fields_are_named():
    text = DOC.split("A week: ", 1)[1].split("\n\n", 1)[0]
    for name in (*WEEK_FIELDS, *SESSION_FIELDS, *RUN_FIELDS):
        assert f"`{name}" in text, name
