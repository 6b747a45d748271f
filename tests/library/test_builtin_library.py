"""The built-in Pose library: enough drills, every phase, each one complete and valid."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pose_coach.library.catalog import library_files, load_catalog
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
    for path in library_files(BUILTIN):
        assert path.suffix == ".yaml", path
    ids = set(load_catalog([("builtin", BUILTIN)]).ids())
    assert {p.stem for p in library_files(BUILTIN)} == ids


def test_validate_drills_exits_0(cli, monkeypatch):
    monkeypatch.chdir(Path(BUILTIN).parent)
    result = cli("validate", "drills")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(line.startswith("OK    ") for line in lines[:-1])
    assert lines[-1] == f"{len(lines) - 1} files checked: {len(lines) - 1} OK, 0 invalid"
