"""The fault index: canonical fault ids, drills tagged with them, the order drills come in."""

from __future__ import annotations

import json

import pytest

from pose_coach.errors import ExitCode, UnknownFaultError
from pose_coach.library.catalog import load_catalog
from pose_coach.library.faults import (
    FAULTS,
    corrected_faults,
    drills_for_fault,
    fault_fix,
    fault_index,
)
from pose_coach.library.loader import load_text
from pose_coach.library.model import Drill, Fault, Phase, Step
from pose_coach.paths import builtin_library_dir

REQUIRED = (
    "overstriding",
    "heel-strike",
    "bending-at-waist",
    "no-lean",
    "pushing-off",
    "low-cadence",
    "long-contact",
    "bouncing",
    "imbalance",
    "kicking-back",
    "stiff-landing",
    "looking-down",
)

BUILTIN = load_catalog([("builtin", builtin_library_dir())]).entries


def _drill(drill_id: str, corrects=(), faults=(), level="beginner") -> Drill:
    return Drill(
        id=drill_id,
        title=drill_id.title(),
        phase=Phase.PULL,
        summary="x",
        steps=(Step("Pull", 5),),
        level=level,
        faults=tuple(faults),
        corrects=tuple(corrects),
    )


def test_the_canonical_faults_hold_every_required_id_with_a_label():
    assert set(REQUIRED) <= set(FAULTS)
    assert all(label and label[0].isupper() for label in FAULTS.values())


def test_every_canonical_fault_maps_to_a_builtin_drill():
    index = fault_index(BUILTIN)
    assert list(index) == list(FAULTS)
    missing = [fault for fault, drills in index.items() if not drills]
    assert missing == []


def test_every_builtin_drill_corrects_a_fault():
    drills = [e for e in BUILTIN.values() if isinstance(e, Drill)]
    assert [d.id for d in drills if not corrected_faults(d)] == []


def test_drills_come_best_first_and_in_a_stable_order():
    entries = {
        "b-side": _drill("b-side", ["pushing-off", "overstriding"]),
        "a-side": _drill("a-side", ["pushing-off", "overstriding"]),
        "main": _drill("main", ["overstriding"], level="intermediate"),
        "easy-main": _drill("easy-main", ["overstriding"]),
        "tagged": _drill("tagged", faults=[Fault("Reaching out", "Land under", "overstriding")]),
    }
    # main target (position 0) first, easier level first, then id; a tagged-only drill
    # ranks after one that declares the fault at the same position
    assert fault_index(entries)["overstriding"] == (
        "easy-main",
        "main",
        "tagged",
        "a-side",
        "b-side",
    )
    reversed_entries = dict(reversed(list(entries.items())))
    assert fault_index(reversed_entries) == fault_index(entries)
    assert [d.id for d in drills_for_fault(entries, "overstriding")] == list(
        fault_index(entries)["overstriding"]
    )
    assert fault_index(entries)["heel-strike"] == ()


def test_a_fault_tag_counts_as_corrected_and_gives_its_fix():
    drill = _drill(
        "d", ["no-lean"], faults=[Fault("Hips back", "Tip from ankles", "bending-at-waist")]
    )
    assert corrected_faults(drill) == ("no-lean", "bending-at-waist")
    assert fault_fix(drill, "bending-at-waist") == "Tip from ankles"
    assert fault_fix(drill, "no-lean") is None


def test_an_unknown_fault_is_a_usage_error_with_a_suggestion():
    with pytest.raises(UnknownFaultError) as caught:
        drills_for_fault(BUILTIN, "overstride")
    assert caught.value.message == "unknown fault 'overstride'; did you mean 'overstriding'?"
    assert caught.value.exit_code is ExitCode.USAGE


def test_the_loader_reads_corrects_and_fault_ids():
    drill = load_text(
        """\
title: T
phase: pull
summary: S
corrects: [pushing-off, late-pull]
steps:
  - cue: Pull
    seconds: 5
faults:
  - fault: Foot lingers
    fix: Pull at once
    id: late-pull
""",
        "t.yaml",
        stem="t",
    )
    assert isinstance(drill, Drill)
    assert drill.corrects == ("pushing-off", "late-pull")
    assert drill.faults[0].id == "late-pull"


def test_a_single_fault_id_may_be_written_without_a_list():
    drill = load_text(
        "title: T\nphase: pull\nsummary: S\ncorrects: no-lean\nsteps:\n"
        "  - cue: Pull\n    seconds: 5\n",
        "t.yaml",
        stem="t",
    )
    assert isinstance(drill, Drill) and drill.corrects == ("no-lean",)


# -- commands -------------------------------------------------------------------


def test_faults_lists_every_fault_with_its_drills(cli):
    result = cli("faults")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    first = fault_index(BUILTIN)["overstriding"]
    assert lines[0].split("  ")[0] == "overstriding"
    assert lines[0].endswith(FAULTS["overstriding"])
    assert lines[1].strip() == "drills: " + ", ".join(first)
    assert len(lines) == 2 * len(FAULTS)


def test_faults_json_is_the_index(cli):
    result = cli("faults", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    index = fault_index(BUILTIN)
    assert data == [
        {"id": fault, "label": label, "drills": list(index[fault])}
        for fault, label in FAULTS.items()
    ]


@pytest.mark.parametrize(
    "command", [["faults", "overstriding"], ["show", "--fault", "overstriding"]]
)
def test_one_fault_lists_its_drills_best_first(cli, command):
    result = cli(*command, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == "overstriding" and data["label"] == FAULTS["overstriding"]
    ids = [d["id"] for d in data["drills"]]
    assert ids == list(fault_index(BUILTIN)["overstriding"])
    assert set(data["drills"][0]) == {"id", "title", "phase", "level", "fix"}
    text = cli(*command)
    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    assert lines[0] == f"overstriding: {FAULTS['overstriding']}"
    assert lines[2].split()[1] == ids[0]
    assert lines[-1] == f"Start with: pose-coach drill {ids[0]}"


@pytest.mark.parametrize("command", [["faults", "overstride"], ["show", "--fault", "overstride"]])
def test_an_unknown_fault_exits_2_with_a_suggestion(cli, command):
    result = cli(*command)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        "pose-coach: error: unknown fault 'overstride'; did you mean 'overstriding'?"
    )


def test_show_needs_an_id_or_a_fault(cli):
    result = cli("show")
    assert result.exit_code == 2
    assert result.stderr.startswith("pose-coach: error: missing a drill or routine ID\n")
    both = cli("show", "fall", "--fault", "no-lean")
    assert both.exit_code == 2
    assert "not both" in both.stderr


def test_show_names_what_a_drill_corrects(cli):
    text = cli("show", "fall").stdout.splitlines()
    assert "Corrects" in text
    data = json.loads(cli("show", "fall", "--json").stdout)
    ids = [c["id"] for c in data["corrects"]]
    assert ids == list(corrected_faults(BUILTIN["fall"]))  # type: ignore[arg-type]
    assert all(set(c) == {"id", "label", "fix"} for c in data["corrects"])
