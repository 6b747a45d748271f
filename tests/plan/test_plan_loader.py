"""Plan files: the fields, located errors, hostile input, sources for every number."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pose_coach.errors import DrillFileError
from pose_coach.library.catalog import load_catalog
from pose_coach.plan.catalog import load_plans, reference_problems
from pose_coach.plan.loader import check_plan_text, load_plan_file, load_plan_text, parse_days

GOOD = """\
id: mine
title: My plan
summary: Two weeks.
days: [tue, fri]
sources:
  a: Source A — https://example.org/a
  b: Source B
rules:
  progress: {soreness_at_most: 3, source: a}
  step_back: {soreness_at_least: 5, missed_days: 14, source: [a, b]}
weeks:
  - title: Drills
    sessions:
      - routine: warmup
      - drill: pose
  - title: Runs
    source: a
    sessions:
      - routine: pre-run
        run: {minutes: 30, form_minutes: 5, piece_max_m: 400, source: a}
      - routine: warmup
        run: {minutes: 20, form_minutes: 4, piece_max_minutes: 3, source: [a, b]}
"""


def problems_of(text: str, stem: str = "mine") -> list[str]:
    plan, problems = check_plan_text(textwrap.dedent(text), "mine.yaml", stem)
    return [str(p) for p in problems if not p.warning]


def test_a_good_plan_loads():
    plan = load_plan_text(GOOD, "mine.yaml", "mine")
    assert plan.id == "mine" and plan.days == (1, 4)
    assert [w.form_minutes for w in plan.weeks] == [0, 5]
    assert plan.weeks[1].sessions[1].run.piece_max_minutes == 3
    assert plan.rules.sources["step_back"] == ("a", "b")
    assert plan.sessions_per_week == 2


def test_a_number_without_a_source_is_refused():
    text = GOOD.replace("piece_max_m: 400, source: a}", "piece_max_m: 400}")
    assert problems_of(text) == [
        "mine.yaml:20:14: weeks[1].sessions[0].run.source: missing required field: "
        "every number needs its source (the run's minutes and pieces)"
    ]


def test_an_unknown_source_key_suggests_the_closest():
    text = GOOD.replace(
        "progress: {soreness_at_most: 3, source: a}", "progress: {soreness_at_most: 3, source: bb}"
    )
    assert problems_of(text) == [
        "mine.yaml:9:43: rules.progress.source: unknown source 'bb'; did you mean 'b'?"
    ]


def test_unknown_fields_get_did_you_mean():
    text = GOOD.replace("  - title: Drills\n", "  - title: Drills\n    sesions: []\n")
    found = problems_of(text)
    assert (
        found[0]
        == "mine.yaml:13:5: weeks[0].sesions: unknown field 'sesions'; did you mean 'sessions'?"
    )


def test_a_source_never_cited_is_a_warning():
    text = GOOD.replace("  b: Source B\n", "  b: Source B\n  c: Source C\n")
    plan, problems = check_plan_text(text, "mine.yaml", "mine")
    assert plan is not None
    assert [str(p) for p in problems] == ["mine.yaml:8:3: sources.c: this source is never cited"]
    assert problems[0].warning


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("form_minutes: 5, piece_max_m: 400", "form_minutes: 8, piece_max_m: 400"),
            "weeks[1].sessions[0].run.form_minutes: 8 min in the new form in week 2; the "
            "first week in the form may hold at most 5",
        ),
        (
            ("piece_max_m: 400", "piece_max_m: 1200"),
            "weeks[1].sessions[0].run.piece_max_m: pieces of 1200 m; the sources support at "
            "most 800 m at a time",
        ),
        (
            ("piece_max_minutes: 3", "piece_max_minutes: 10"),
            "weeks[1].sessions[1].run.piece_max_minutes: pieces of 10 min; the sources "
            "support at most 6 min in one go",
        ),
        (
            (
                "      - drill: pose\n",
                "      - drill: pose\n        run: {minutes: 30, "
                "form_minutes: 2, piece_max_m: 200, source: a}\n",
            ),
            "weeks[0].sessions[1].run.form_minutes: running in the new form in week 1; drills "
            "come first for at least 1 week",
        ),
    ],
)
def test_more_running_in_the_form_than_the_sources_support_is_refused(change, message):
    found = problems_of(GOOD.replace(*change))
    assert any(message in line for line in found), found


def test_the_week_after_may_add_two_minutes_and_no_more():
    third = (
        "  - title: More\n    source: a\n    sessions:\n      - routine: pre-run\n"
        "        run: {minutes: 30, form_minutes: MIN, piece_max_m: 400, source: a}\n"
    )
    assert problems_of(GOOD + third.replace("MIN", "7")) == []
    found = problems_of(GOOD + third.replace("MIN", "8"))
    assert len(found) == 1
    assert (
        "8 min in the new form in week 3; after 5 min the week before, the sources "
        "support at most 7" in found[0]
    )


def test_a_runner_who_drills_already_may_run_in_form_in_week_one():
    text = GOOD.replace("days: [tue, fri]\n", "days: [tue, fri]\nalready_drilling: true\n")
    text = text.replace(
        "      - drill: pose\n",
        "      - drill: pose\n        run: {minutes: 30, "
        "form_minutes: 5, piece_max_m: 400, source: a}\n",
    )
    assert problems_of(text) == []


def test_running_in_form_needs_pieces():
    found = problems_of(GOOD.replace("form_minutes: 5, piece_max_m: 400, ", "form_minutes: 5, "))
    assert found == [
        "mine.yaml:20:42: weeks[1].sessions[0].run.form_minutes: running in the new form "
        "needs pieces: add piece_max_m or piece_max_minutes"
    ]


def test_more_form_minutes_than_the_run_is_refused():
    found = problems_of(GOOD.replace("minutes: 20, form_minutes: 4", "minutes: 3, form_minutes: 4"))
    assert found == [
        "mine.yaml:22:41: weeks[1].sessions[1].run.form_minutes: "
        "4 min in the form in a run of 3 min"
    ]


def test_step_back_must_be_above_progress():
    found = problems_of(GOOD.replace("soreness_at_least: 5", "soreness_at_least: 3"))
    assert len(found) == 1 and "must be above rules.progress.soreness_at_most (3)" in found[0]


def test_more_days_than_sessions_a_week_is_refused():
    found = problems_of(GOOD.replace("days: [tue, fri]", "days: [mon, tue, fri]"))
    assert found == [
        "mine.yaml:4:7: days: 3 training days for 2 sessions a week would fit more than a "
        "week of the plan into each week"
    ]


def test_days_must_be_weekdays():
    found = problems_of(GOOD.replace("days: [tue, fri]", "days: [tue, fryday]"))
    assert found == [
        "mine.yaml:4:7: days: 'fryday' is not a weekday (use mon,tue,wed,thu,fri,sat,sun)"
    ]
    assert parse_days("Mon, wed,FRI") == (0, 2, 4)


def test_repeat_counts_weeks_out_and_needs_a_source():
    text = GOOD.replace("  - title: Drills\n", "  - title: Drills\n    repeat: 2\n    source: b\n")
    plan = load_plan_text(text, "mine.yaml", "mine")
    assert [w.number for w in plan.weeks] == [1, 2, 3]
    assert [w.title for w in plan.weeks] == ["Drills", "Drills", "Runs"]
    found = problems_of(GOOD.replace("  - title: Drills\n", "  - title: Drills\n    repeat: 2\n"))
    assert found == [
        "mine.yaml:13:13: weeks[0].source: missing required field: every number needs its "
        "source (the repeat)"
    ]


def test_cadence_steps_are_held_to_the_sources():
    text = GOOD.replace(
        "weeks:\n", "cadence: {from_week: 2, step_percent: 8, max_percent: 20, source: a}\nweeks:\n"
    )
    found = problems_of(text)
    assert len(found) == 2
    assert "cadence.step_percent: raises of 8 %; the sources support about 5 %" in found[0]
    assert (
        "cadence.max_percent: 20 % above the runner's own cadence; the sources cover 10 %"
        in found[1]
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: &t A\nsummary: *t\n", "YAML aliases (*t) are not allowed"),
        (
            "title: !!python/object:os.system x\n",
            "YAML tag '!!python/object:os.system' is not allowed",
        ),
        ("title: a\x1b[31m\n", "control character U+001B ESCAPE in the file"),
        ("title: a\ntitle: b\n", "duplicate key 'title' (first given on line 1)"),
        ("", "the file is empty; see `pose-coach docs plans`"),
        ("- a\n- b\n", "expected a mapping of fields"),
    ],
)
def test_hostile_or_broken_input_is_refused_with_its_place(text, message):
    with pytest.raises(DrillFileError) as caught:
        load_plan_text(text, "bad.yaml", "bad")
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems


def test_a_file_that_is_too_big_or_binary_or_not_a_file_is_refused(tmp_path: Path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"title: x\n" + b"#" * (1024 * 1024 + 10))
    with pytest.raises(DrillFileError, match="the limit is 1048576"):
        load_plan_file(big)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe t\x00i\x00")
    with pytest.raises(DrillFileError, match="UTF-16 or binary"):
        load_plan_file(binary)
    with pytest.raises(DrillFileError, match="cannot read: a folder"):
        load_plan_file(tmp_path)


def test_the_id_must_match_the_file_name():
    found = problems_of(GOOD, stem="other")
    assert found == [
        "mine.yaml:1:5: id: id 'mine' does not match the file name 'other'; rename the file "
        "or drop the id field"
    ]


def test_sessions_must_name_a_routine_or_drill_of_the_library():
    plan = load_plan_text(GOOD.replace("routine: pre-run", "routine: pre-rn"), "mine.yaml", "mine")
    found = [str(p) for p in reference_problems(plan, load_catalog().entries)]
    assert found == [
        "mine.yaml:19:18: weeks[1].sessions[0].routine: unknown routine 'pre-rn' — did you "
        "mean 'pre-run'?"
    ]


def test_user_plans_are_found_and_a_broken_one_is_set_aside(user_drill, isolated_home):
    folder = isolated_home / "data" / "drills" / "plans"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(GOOD)
    (folder / "broken.yaml").write_text("title: [\n")
    catalog = load_plans(load_catalog().entries)
    assert "mine" in catalog.plans and "beginner-6-weeks" in catalog.plans
    assert catalog.plans["mine"].source == str(folder / "mine.yaml")
    [warning] = catalog.warnings()
    assert warning.startswith("skipped plan ") and "broken.yaml" in warning
    with pytest.raises(DrillFileError):
        catalog.get("broken")


def test_an_unknown_plan_suggests_the_closest():
    catalog = load_plans(load_catalog().entries)
    with pytest.raises(
        Exception, match="no plan 'beginer-6-weeks'; did you mean 'beginner-6-weeks'"
    ):
        catalog.get("beginer-6-weeks")


def test_needed_entries_reads_only_what_a_session_needs(isolated_home):
    from pose_coach.plan.catalog import needed_entries

    entries = needed_entries(["pre-run"])
    assert entries is not None
    pre_run = entries["pre-run"]
    assert set(entries) == {"pre-run", *(i.ref for i in pre_run.items if i.ref)}
    assert entries == {k: v for k, v in load_catalog().entries.items() if k in entries}


def test_needed_entries_gives_way_to_the_whole_library_when_something_is_off(
    isolated_home, user_drill
):
    from pose_coach.plan.catalog import needed_entries

    assert needed_entries(["no-such-routine"]) is None
    user_drill("pose", "title: [broken\n")
    assert needed_entries(["pre-run"]) is None  # pre-run holds pose: the library reports it
    extra = isolated_home / "extra"
    (extra / "routines").mkdir(parents=True)
    (extra / "routines" / "mine.yaml").write_text("title: x\n")
    (isolated_home / "data" / "drills" / "pose.yaml").unlink()
    user_drill("mine", "title: Mine\nsummary: s\nitems:\n  - drill: fall\n", routine=True)
    folders = [("user", isolated_home / "data" / "drills"), ("user", extra)]
    assert needed_entries(["mine"], folders) is None  # two user files with one id


def test_a_user_routine_replacing_a_builtin_one_is_the_one_used(isolated_home, user_drill):
    from pose_coach.plan.catalog import needed_entries

    user_drill("warmup", "title: My warm-up\nsummary: s\nitems:\n  - drill: fall\n", routine=True)
    entries = needed_entries(["warmup"])
    assert entries is not None and entries["warmup"].title == "My warm-up"
    assert entries["warmup"].shadows == "built-in routine 'warmup'"


def test_text_fields_take_text_only():
    text = GOOD.replace("title: My plan", "title: 2026").replace(
        "summary: Two weeks.", "summary: no"
    )
    text = text.replace("  - title: Drills\n", "  - title: 1.5\n")
    assert problems_of(text) == [
        "mine.yaml:2:8: title: expected text, got a number (2026); put it in quotes to mean "
        'the text: "2026"',
        "mine.yaml:3:10: summary: expected text, got a yes/no value (no); put it in quotes to "
        'mean the text: "no"',
        "mine.yaml:12:12: weeks[0].title: expected text, got a number (1.5); put it in quotes "
        'to mean the text: "1.5"',
    ]
    quoted = GOOD.replace("title: My plan", 'title: "2026"')
    assert load_plan_text(quoted, "mine.yaml", "mine").title == "2026"
