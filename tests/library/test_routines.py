"""Routines: located loader errors, references and cycles, timeline totals, playing one."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pose_coach.library.catalog import find_cycle, load_catalog
from pose_coach.library.model import Drill, ItemKind, Routine
from pose_coach.play.clock import FakeClock
from pose_coach.play.scheduler import play
from pose_coach.sinks.jsonl import JsonSink
from pose_coach.timeline import Dose, EventKind, compile_timeline


@pytest.fixture
def library(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's library folder, also the cwd, so messages say ``routines/x.yaml``."""
    folder = isolated_home / "data" / "drills"
    (folder / "routines").mkdir(parents=True)
    monkeypatch.chdir(folder)
    return folder


def routine_text(*items: str, title: str = "Test routine") -> str:
    body = "".join(f"  - {item}\n" for item in items)
    return f"title: {title}\nsummary: A routine for tests.\nitems:\n{body}"


def write_routine(library: Path, routine_id: str, *items: str) -> Path:
    path = library / "routines" / f"{routine_id}.yaml"
    path.write_text(routine_text(*items), encoding="utf-8")
    return path


def validate(cli, *paths: str) -> tuple[int, list[str]]:
    """Exit code and every problem line (the ``path:line:col: ...`` lines, on any stream)."""
    result = cli("validate", *paths)
    lines = (result.stdout + result.stderr).splitlines()
    return result.exit_code, [line for line in lines if line.startswith("routines/")]


# -- loader and reference errors, located ----------------------------------------------


def test_unknown_drill_is_located_with_did_you_mean(cli, library):
    write_routine(library, "morning", "drill: pose", "rest: 10", "drill: poney")
    code, problems = validate(cli, "routines/morning.yaml")
    assert code == 1
    assert problems == [
        "routines/morning.yaml:6:12: items[2].drill: unknown drill 'poney' — did you mean 'pony'?"
    ]


def test_unknown_routine_and_wrong_kind(cli, library):
    write_routine(library, "morning", "routine: warmpu", "drill: warmup", "routine: fall")
    code, problems = validate(cli, "routines/morning.yaml")
    assert code == 1
    assert problems == [
        "routines/morning.yaml:4:14: items[0].routine: unknown routine 'warmpu'"
        " — did you mean 'warmup'?",
        "routines/morning.yaml:5:12: items[1].drill: unknown drill 'warmup'"
        " — 'warmup' is a routine: write 'routine: warmup'",
        "routines/morning.yaml:6:14: items[2].routine: unknown routine 'fall'"
        " — 'fall' is a drill: write 'drill: fall'",
    ]


def test_reference_to_a_broken_file_names_the_file(cli, library):
    write_routine(library, "evening", "drill: pose", "rest: nothing")
    write_routine(library, "morning", "drill: pose", "routine: evening")
    result = cli("routine", "morning", "--dry-run", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        "routines/morning.yaml:5:14: items[1].routine: routine 'evening' could not be loaded:"
        " fix routines/evening.yaml" in result.stderr
    )


def test_two_routine_cycle_is_reported_by_both(cli, library):
    write_routine(library, "morning", "drill: pose", "routine: evening")
    write_routine(library, "evening", "routine: morning")
    code, problems = validate(cli, "routines/")
    assert code == 1
    assert problems == [
        "routines/evening.yaml:4:14: items[0].routine: "
        "routines include each other in a cycle: evening → morning → evening",
        "routines/morning.yaml:5:14: items[1].routine: "
        "routines include each other in a cycle: morning → evening → morning",
    ]
    # the library sets both aside, each with the cycle (not "unknown routine")
    catalog = load_catalog()
    assert "morning" not in catalog.entries and "evening" not in catalog.entries
    messages = [e.problems[0].message for e in catalog.broken]
    assert messages == [
        "routines include each other in a cycle: evening → morning → evening",
        "routines include each other in a cycle: morning → evening → morning",
    ]
    for routine_id in ("morning", "evening"):
        result = cli("routine", routine_id)
        assert result.exit_code == 1
        assert "routines include each other in a cycle" in result.stderr


def test_routine_including_itself(cli, library):
    write_routine(library, "loop", "drill: pose", "rest: 5", "routine: loop")
    code, problems = validate(cli, "routines/loop.yaml")
    assert problems == [
        "routines/loop.yaml:6:14: items[2].routine: "
        "routines include each other in a cycle: loop → loop"
    ]


def test_three_routine_cycle_and_routines_leading_into_it(cli, library):
    write_routine(library, "a", "routine: b")
    write_routine(library, "b", "routine: c")
    write_routine(library, "c", "drill: fall", "routine: b")
    write_routine(library, "start", "drill: pose", "routine: a")
    assert not {"a", "b", "c", "start"} & set(load_catalog().entries)
    code, problems = validate(cli, "routines/")
    assert code == 1
    assert problems == [
        "routines/a.yaml:4:14: items[0].routine: routine 'b' leads into a cycle: b → c → b",
        "routines/b.yaml:4:14: items[0].routine: routines include each other in a cycle: b → c → b",
        "routines/c.yaml:5:14: items[1].routine: routines include each other in a cycle: c → b → c",
        "routines/start.yaml:5:14: items[1].routine: routine 'a' leads into a cycle: b → c → b",
    ]


def test_find_cycle_returns_the_path(library):
    from pose_coach.library.loader import load_file

    entries = dict(load_catalog().entries)
    for routine_id, items in (("a", ["drill: pose", "routine: b"]), ("b", ["routine: a"])):
        routine = load_file(write_routine(library, routine_id, *items))
        entries[routine.id] = routine
    assert find_cycle("a", entries) == ["a", "b", "a"]
    assert find_cycle("b", entries) == ["b", "a", "b"]
    assert all(find_cycle(r, entries) is None for r in BUILTIN_ROUTINES)


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ("rest: 0", "items[0].rest: expected seconds between 1 and 3600, got 0"),
        ("rest: -5", "items[0].rest: expected seconds between 1 and 3600, got -5"),
        ("rest: ten", "items[0].rest: expected seconds between 1 and 3600"),
        ("rest: 2:00:01", "items[0].rest: expected seconds between 1 and 3600, got 2:00:01"),
        ("rest: .inf", "items[0].rest: expected seconds between 1 and 3600"),
        ("{rest: 10, sets: 2}", "items[0].sets: 'sets' applies to drill items only"),
        ("{drill: pose, rest: 700}", "items[0].rest: expected seconds between 0 and 600"),
        ("{drill: pose, routine: warmup}", "items[0]: each item needs one of 'drill', 'routine'"),
        ("{routine: warmup, sets: 2}", "items[0].sets: 'sets' applies to drill items only"),
        ("{drill: pose, seconds_scale: 20}", "items[0].seconds_scale: expected a scale between"),
        ("{drill: pose, set: 2}", "items[0].set: unknown field 'set'"),
        ("{}", "items[0]: "),
    ],
)
def test_bad_items_are_located(cli, library, item, problem):
    write_routine(library, "bad", item)
    code, problems = validate(cli, "routines/bad.yaml")
    assert code == 1
    assert any(p.startswith("routines/bad.yaml:4:") and problem in p for p in problems), problems


def test_rest_accepts_minutes_and_seconds(library):
    write_routine(library, "morning", "drill: pose", "rest: 1:30")
    routine = load_catalog().routine("morning")
    assert routine.items[1].kind is ItemKind.REST and routine.items[1].seconds == 90


def test_routine_without_items_is_an_error(cli, library):
    (library / "routines" / "empty.yaml").write_text(
        "title: Empty\nsummary: Nothing.\nitems: []\n", encoding="utf-8"
    )
    code, problems = validate(cli, "routines/empty.yaml")
    assert code == 1
    assert problems and "items" in problems[0]


# -- timeline totals ------------------------------------------------------------------


def expected_seconds(routine: Routine, entries: dict) -> float:
    """A routine's length, worked out from the model independently of the timeline."""
    total = 0.0
    for item in routine.items:
        if item.kind is ItemKind.REST:
            total += item.seconds
        elif item.kind is ItemKind.ROUTINE:
            total += expected_seconds(entries[item.ref], entries)
        else:
            drill: Drill = entries[item.ref]
            sets = item.sets or drill.sets
            rest = drill.rest if item.rest is None else item.rest
            total += drill.set_seconds * item.seconds_scale * sets + rest * (sets - 1)
    return total


BUILTIN_ROUTINES = ("warmup", "pose-basics", "fall-focus", "pull-focus", "pre-run")


@pytest.mark.parametrize("routine_id", BUILTIN_ROUTINES)
def test_builtin_routine_totals(routine_id):
    catalog = load_catalog()
    routine = catalog.routine(routine_id)
    timeline = compile_timeline(routine, catalog.entries, Dose(lead_in=3))
    assert timeline.kind == "routine"
    assert timeline.total == pytest.approx(3 + expected_seconds(routine, catalog.entries))
    drill_items = [i for i in routine.items if i.kind is ItemKind.DRILL]
    starts = [e for e in timeline.events if e.kind is EventKind.DRILL_START]
    assert [e.item for e in starts] == list(range(1, len(drill_items) + 1))
    assert {e.items for e in starts} == {len(drill_items)}


def test_warmup_is_five_to_eight_minutes_with_lead_in():
    catalog = load_catalog()
    total = compile_timeline(catalog.routine("warmup"), catalog.entries, Dose(lead_in=3)).total
    assert 5 * 60 <= total <= 8 * 60


def test_each_phase_has_a_focus_routine():
    catalog = load_catalog()
    phases = {
        routine_id: compile_timeline(catalog.routine(routine_id), catalog.entries).phases
        for routine_id in ("pose-basics", "fall-focus", "pull-focus")
    }
    assert phases["pose-basics"][0] == "pose"
    assert phases["fall-focus"][0] == "fall"
    assert phases["pull-focus"][0] == "pull"


def test_command_line_dose_overrides_every_drill():
    catalog = load_catalog()
    timeline = compile_timeline(
        catalog.routine("pre-run"), catalog.entries, Dose(sets=3, rest=5, lead_in=0)
    )
    set_starts = [e for e in timeline.events if e.kind is EventKind.SET_START]
    assert {e.sets for e in set_starts} == {3}
    rests_between_sets = [e for e in timeline.events if e.kind is EventKind.REST and e.drill]
    assert {e.duration for e in rests_between_sets} == {5}


def test_item_overrides_sets_rest_and_scale(library):
    write_routine(
        library,
        "morning",
        "{drill: fall, sets: 3, rest: 12, seconds_scale: 0.5}",
        "rest: 20",
        "drill: pose",
    )
    catalog = load_catalog()
    fall = catalog.drill("fall")
    timeline = compile_timeline(catalog.routine("morning"), catalog.entries, Dose(lead_in=0))
    fall_cues = [e for e in timeline.cues if e.drill == "fall"]
    assert [e.duration for e in fall_cues[: len(fall.steps)]] == [
        s.seconds * 0.5 for s in fall.steps for _ in range(s.legs)
    ][: len(fall.steps)]
    fall_rests = [e for e in timeline.events if e.kind is EventKind.REST and e.drill == "fall"]
    assert [e.duration for e in fall_rests] == [12, 12]
    between = [e for e in timeline.events if e.kind is EventKind.REST and e.drill is None]
    assert [e.duration for e in between] == [20]


def test_included_routine_is_expanded_and_numbered_on(library):
    write_routine(library, "double", "routine: pre-run", "rest: 30", "drill: pony")
    catalog = load_catalog()
    pre_run_drills = [i.ref for i in catalog.routine("pre-run").items if i.ref]
    timeline = compile_timeline(catalog.routine("double"), catalog.entries, Dose(lead_in=0))
    starts = [e for e in timeline.events if e.kind is EventKind.DRILL_START]
    assert [e.drill for e in starts] == pre_run_drills + ["pony"]
    assert [(e.item, e.items) for e in starts] == [
        (n, len(pre_run_drills) + 1) for n in range(1, len(pre_run_drills) + 2)
    ]


# -- playing a routine ------------------------------------------------------------------


def test_warmup_plays_under_the_fake_clock_as_json():
    catalog = load_catalog()
    routine = catalog.routine("warmup")
    timeline = compile_timeline(routine, catalog.entries, Dose(lead_in=3))
    out = io.StringIO()
    clock = FakeClock(start=500.0)
    result = play(timeline, clock, [JsonSink(out)], speed=1.0)

    assert result.completed
    assert clock.now() - 500.0 == pytest.approx(timeline.total)  # zero wall time, exact end
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    ends = [e for e in events if e["event"] == "step_end"]
    assert len(ends) == sum(1 for e in timeline.events if e.open)  # one per open step
    assert {e["ended"] for e in ends} == {"time"}
    assert len(events) == len(timeline.events) + len(ends)
    assert events[0]["event"] == "session_start"
    assert (events[0]["kind"], events[0]["id"]) == ("routine", "warmup")
    assert events[-1] == {"event": "session_end", "at": events[-1]["at"], "completed": True}

    # drill_start/drill_end balanced, never nested, numbered 1..N in order
    open_drill, numbers = None, []
    drill_items = [i for i in routine.items if i.kind is ItemKind.DRILL]
    for event in events:
        if event["event"] == "drill_start":
            assert open_drill is None
            open_drill = event
            numbers.append(event["item"])
            assert event["items"] == len(drill_items)
            assert event["drill"] == drill_items[event["item"] - 1].ref
        elif event["event"] == "drill_end":
            assert open_drill is not None
            assert (event["drill"], event["item"]) == (open_drill["drill"], open_drill["item"])
            open_drill = None
        elif event["event"] in ("set_start", "cue", "step_end", "set_end", "switch"):
            assert open_drill is not None and event["drill"] == open_drill["drill"]
    assert open_drill is None
    assert numbers == list(range(1, len(drill_items) + 1))
    # rests between drills belong to no drill; cues are numbered across the whole routine
    assert any(e["event"] == "rest" and "drill" not in e for e in events)
    cues = [e for e in events if e["event"] == "cue"]
    assert [c["step"] for c in cues] == list(range(1, len(cues) + 1))
    assert {c["steps"] for c in cues} == {len(cues)}


def test_routine_command_dry_run_json(cli):
    result = cli("routine", "pre-run", "--dry-run", "--json", "--lead-in", "0")
    assert result.exit_code == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds.count("drill_start") == kinds.count("drill_end") == 3
    assert events[0]["kind"] == "routine"


def test_drill_command_refuses_a_routine_id(cli):
    result = cli("drill", "warmup")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'warmup' is a routine: try `pose-coach routine warmup`" in result.stderr


def test_list_and_show_routines(cli):
    rows = json.loads(cli("list", "--json", "--kind", "routine").stdout)
    assert {r["kind"] for r in rows} == {"routine"}
    assert {"warmup", "pose-basics", "fall-focus", "pull-focus"} <= {r["id"] for r in rows}
    shown = cli("show", "warmup")
    assert shown.exit_code == 0, shown.stderr
    assert "Pre-run warm-up" in shown.stdout


def test_timeline_never_expands_a_cycle_it_is_handed():
    """The catalog refuses cycles; compiling one anyway must still not repeat or loop."""
    from pose_coach.library.model import RoutineItem

    catalog = load_catalog()
    loop = Routine(
        id="loop",
        title="Loop",
        summary="A routine that includes itself.",
        items=(RoutineItem(ItemKind.DRILL, ref="pose"), RoutineItem(ItemKind.ROUTINE, ref="loop")),
    )
    timeline = compile_timeline(loop, {**catalog.entries, "loop": loop}, Dose(lead_in=0))
    starts = [e for e in timeline.events if e.kind is EventKind.DRILL_START]
    assert [e.drill for e in starts] == ["pose"]


def test_validating_one_routine_of_a_cycle_points_at_the_other_file(cli, library):
    write_routine(library, "morning", "drill: pose", "routine: evening")
    write_routine(library, "evening", "routine: morning")
    code, problems = validate(cli, "routines/morning.yaml")
    assert code == 1
    assert problems == [
        "routines/morning.yaml:5:14: items[1].routine: routine 'evening' could not be loaded:"
        " fix routines/evening.yaml"
    ]
