"""The built-in Pose library: enough drills, every phase, each one complete and valid."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from pose_coach.library.catalog import library_files, load_catalog
from pose_coach.library.loader import load_file
from pose_coach.library.model import Drill, Phase, Routine
from pose_coach.paths import builtin_library_dir

BUILTIN = builtin_library_dir()


def builtin_drills() -> list[Drill]:
    catalog = load_catalog([("builtin", BUILTIN)])
    assert catalog.broken == [] and catalog.conflicts == {}
    return [e for e in catalog.entries.values() if isinstance(e, Drill)]


DRILLS = builtin_drills()


def test_at_least_twelve_drills_across_the_three_phases():
    assert len(DRILLS) >= 12
    per_phase = Counter(d.phase for d in DRILLS)
    assert set(per_phase) == set(Phase)
    assert min(per_phase.values()) >= 3


@pytest.mark.parametrize("phase", list(Phase))
def test_the_phase_names_are_core_drill_ids(phase: Phase):
    drill = next(d for d in DRILLS if d.id == phase.value)
    assert drill.phase is phase


@pytest.mark.parametrize("drill", DRILLS, ids=lambda d: d.id)
def test_each_drill_is_complete(drill: Drill):
    assert drill.source == "builtin"
    assert drill.steps and all(s.seconds >= 1 for s in drill.steps)
    assert len(drill.checkpoints) >= 3
    assert drill.faults and all(f.fault and f.fix for f in drill.faults)
    assert drill.safety
    assert drill.sets >= 1 and drill.seconds > 0  # a dose
    assert drill.level in ("beginner", "intermediate", "advanced")
    assert any(s.checkpoint for s in drill.steps), "no step is marked as a form check"
    for step in drill.steps:
        assert len(step.cue) <= 60, f"cue is long for a glance: {step.cue!r}"


def test_routines_only_name_builtin_entries():
    catalog = load_catalog([("builtin", BUILTIN)])
    routines = [e for e in catalog.entries.values() if isinstance(e, Routine)]
    assert len(routines) >= 5
    for routine in routines:
        for item in routine.items:
            assert item.ref is None or item.ref in catalog.entries


def test_every_file_is_named_for_its_id():
    # a session finds a built-in file by its name alone (library/needed.py)
    for path in library_files(BUILTIN):
        assert path.suffix == ".yaml", path
    ids = set(load_catalog([("builtin", BUILTIN)]).ids())
    assert {p.stem for p in library_files(BUILTIN)} == ids
    for path in library_files(BUILTIN):
        assert load_file(path, source="builtin").id == path.stem, path


def test_validate_drills_exits_0(cli, monkeypatch):
    monkeypatch.chdir(Path(BUILTIN).parent)
    result = cli("validate", "drills")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(line.startswith("OK    ") for line in lines[:-1])
    assert lines[-1] == f"{len(lines) - 1} files checked: {len(lines) - 1} OK, 0 invalid"


# -- the coaching review's checks, for every built-in drill ------------------------------

CATALOG = load_catalog([("builtin", BUILTIN)]).entries


def test_at_least_twenty_two_drills():
    assert len(DRILLS) >= 22


@pytest.mark.parametrize("drill", DRILLS, ids=lambda d: d.id)
def test_cues_are_short_pose_instructions(drill: Drill):
    from pose_coach.library.cues import MAX_CUE_WORDS, cue_words, off_vocabulary

    for step in drill.steps:
        assert cue_words(step.cue) <= MAX_CUE_WORDS, step.cue
        assert off_vocabulary(step.cue) == [], step.cue


def test_validate_finds_nothing_to_warn_about_in_the_library():
    from pose_coach.library.validation import entry_warnings

    warnings = [str(w) for entry in CATALOG.values() for w in entry_warnings(entry)]
    assert warnings == []


@pytest.mark.parametrize("entry_id", sorted(CATALOG), ids=str)
def test_every_cue_and_say_is_spoken_in_its_own_step(entry_id: str):
    """Planned with estimated clip lengths (no engine needed): each step's ``say`` (or its
    cue, where it has none) is spoken whole inside the step, "Switch legs" included."""
    from pose_coach.audio.plan import AudioOptions, plan_audio, speech_texts
    from pose_coach.library.speech_fit import estimate_seconds
    from pose_coach.timeline import EventKind, compile_timeline

    timeline = compile_timeline(CATALOG[entry_id], CATALOG)
    durations = {t: estimate_seconds(t) for t in speech_texts(timeline, AudioOptions())}
    spoken = plan_audio(timeline, durations, AudioOptions()).speech()
    for event in timeline.events:
        if event.kind is EventKind.CUE:
            here = {p.name for p in spoken if event.at <= p.at < event.end and not p.cut}
            assert (event.say or event.text) in here, (event.set, event.side, event.text)


@pytest.mark.parametrize("drill", DRILLS, ids=lambda d: d.id)
def test_sources_are_cited(drill: Drill):
    assert drill.sources
    for source in drill.sources:
        # a page (title and address) or a paper (authors, year, journal)
        assert "http" in source or re.search(r"\b(19|20)\d\d\b", source), source


def test_single_source_drills_say_so():
    from pose_coach.library.model import Evidence

    flagged = {d.id for d in DRILLS if d.evidence is Evidence.SINGLE_SOURCE}
    assert {"pony", "foot-tapping", "timber-fall"} <= flagged


def test_the_review_drills_are_in_the_library():
    ids = {d.id for d in DRILLS}
    assert {
        "forward-lunge-pull",
        "one-leg-running",
        "jump-rope-landings",
        "barefoot-strides",
        "uphill-pulls",
        "heel-raises",
        "eccentric-heel-drops",
    } <= ids
    assert "experienced-warmup" in CATALOG


def test_free_falls_are_one_fall_and_pull_moment_flowing_into_the_run_out():
    """A lean from a few degrees to about 15° takes about a second: the fall and the pull
    are one step, which is the run-out, never a held lean before it."""
    for drill_id in ("fall", "timber-fall"):
        drill = CATALOG[drill_id]
        assert isinstance(drill, Drill)
        fall_steps = [i for i, s in enumerate(drill.steps) if "pull!" in s.cue]
        assert len(fall_steps) == 1, drill_id
        step = drill.steps[fall_steps[0]]
        assert step.until_key, "the fall flows into the run-out"
        assert fall_steps[0] == len(drill.steps) - 1
        before = drill.steps[: fall_steps[0]]
        assert not any(w in s.cue.lower() for s in before for w in ("lean", "tip")), drill_id


def test_fall_alternates_the_standing_leg_by_set():
    from pose_coach.library.model import Side

    fall = CATALOG["fall"]
    assert isinstance(fall, Drill)
    assert fall.steps[0].side is Side.ALTERNATE


def _per_leg_seconds(routine_id: str, drill_id: str) -> float:
    """Seconds of one-leg work per leg a routine gives ``drill_id``."""
    from pose_coach.library.model import Side
    from pose_coach.timeline import flatten_items

    routine = CATALOG[routine_id]
    assert isinstance(routine, Routine)
    total = 0.0
    for item in flatten_items(routine, CATALOG):
        if item.ref != drill_id:
            continue
        drill = CATALOG[drill_id]
        assert isinstance(drill, Drill)
        sets, _ = item.dose(drill)
        per_set = sum(s.seconds for s in drill.steps if s.side is Side.BOTH)
        total += per_set * item.seconds_scale * sets
    return total


def test_first_weeks_routine_has_a_beginner_hop_dose():
    """At most 2 × 10 s per leg of single-leg hops, as the drill's own safety note asks."""
    assert 0 < _per_leg_seconds("pose-basics", "hops-in-pose") <= 20


def test_partner_fall_gives_two_releases_each_on_a_spoken_call():
    partner = CATALOG["partner-fall"]
    assert isinstance(partner, Drill)
    assert partner.sets == 4  # swap roles each set: two releases each
    calls = [s for s in partner.steps if s.cue.lower().startswith("partner: step aside")]
    assert len(calls) == 1


def test_jumps_in_place_is_about_thirty_hops():
    jumps = CATALOG["jumps-in-place"]
    assert isinstance(jumps, Drill)
    hops = sum(s.seconds * s.cadence / 60 for s in jumps.steps if s.cadence)
    assert 25 <= hops <= 35


def test_wall_fall_steps_aside_instead_of_turning_away():
    wall = CATALOG["wall-fall"]
    assert isinstance(wall, Drill)
    assert wall.steps[-1].cue == "Step aside, run with the lean"
    assert not any("turn" in s.cue.lower() for s in wall.steps)


def test_warmup_applies_the_in_place_drills_with_run_outs_and_announces_changes_of_place():
    warmup = CATALOG["warmup"]
    assert isinstance(warmup, Routine)
    items = list(warmup.items)
    for drill_id in ("pose", "jumps-in-place", "change-of-support", "wall-pull"):
        drill = CATALOG[drill_id]
        assert isinstance(drill, Drill)
        assert drill.steps[-1].until_key and "run out" in drill.steps[-1].cue.lower()
    refs = [it.ref for it in items]
    between = items[refs.index("wall-pull") + 1]
    assert between.kind.value == "rest" and between.cue  # no 0 s gap: a rest that says why
    before_fall = items[refs.index("fall") - 1]
    assert before_fall.kind.value == "rest" and before_fall.cue
    assert all(CATALOG[r].level == "beginner" for r in refs if r)  # type: ignore[union-attr]


@pytest.mark.parametrize("drill", DRILLS, ids=lambda d: d.id)
def test_each_drill_draws_its_own_figure_with_sound_geometry(drill: Drill):
    from figure_helpers import figure_problems

    from pose_coach.library.model import FIGURES

    assert drill.figure_name in FIGURES
    assert figure_problems(drill.figure_name) == []


def test_two_foot_and_wall_drills_do_not_show_the_one_leg_pose():
    two_foot = {"ball-of-foot-perception", "jumps-in-place", "leaning-hops", "jump-rope-landings"}
    figures = {d.id: d.figure_name for d in DRILLS}
    assert all(figures[d] == "two-foot" for d in two_foot)
    assert figures["timber-fall"] == "two-foot-fall"
    assert (figures["wall-fall"], figures["wall-pull"]) == ("wall-fall", "wall-pull")
    assert figures["partner-fall"] == "partner-fall"
