"""Property tests: whatever the input, the loader returns a model or raises DrillFileError.

Nothing else may escape (no TypeError, no yaml error, no RecursionError), every message
is one printable line, and whatever loads holds no control characters.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from unittest import mock

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pose_coach.errors import DrillFileError, Problem
from pose_coach.library import yamlnodes
from pose_coach.library.loader import DRILL_FIELDS, STEP_FIELDS, load_file, load_text
from pose_coach.library.model import Drill, Routine
from pose_coach.library.yamlnodes import YamlProblem, decode

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

VALID = """\
title: Wall fall
phase: fall
summary: Lean into a wall from the ankles.
sets: 2
rest: 10
steps:
  - cue: Lean from ankles, not waist
    seconds: 5
    checkpoint: true
  - cue: Pull foot under hips
    seconds: 1:30
    side: both
checkpoints: [Straight body, Heels light, Eyes forward]
faults:
  - fault: Bending at the waist
    fix: Lean from the ankles
"""


def dump(data, **options) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, **options)


def check_outcome(load) -> None:
    """Run ``load``; it must give a model or a DrillFileError with clean messages."""
    try:
        entry = load()
    except DrillFileError as error:
        assert error.problems
        for problem in error.problems:
            line = str(problem)
            assert line.isprintable(), line
            assert problem.line is None or problem.line >= 1
        return
    assert isinstance(entry, Drill | Routine)
    texts = [entry.id, entry.title]
    if isinstance(entry, Drill):
        texts += [s.cue for s in entry.steps] + [s.say or "" for s in entry.steps]
        assert 1 <= len(entry.steps) <= 500
        assert entry.seconds <= 4 * 3600
    for text in texts:
        assert not _UNSAFE.search(text), text


def load_bytes(data: bytes):
    """What ``load_file`` does with a file's bytes, without the file."""

    def load():
        try:
            text = decode(data)
        except YamlProblem as problem:
            where = Problem("t.yaml", problem.line, problem.column, "", problem.message)
            raise DrillFileError([where]) from None
        return load_text(text, "t.yaml", stem="t")

    return load


@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes):
    check_outcome(load_bytes(data))


@given(st.text(max_size=2000))
def test_arbitrary_text(text: str):
    check_outcome(lambda: load_text(text, "t.yaml", stem="t"))


# YAML-ish structures: plausible keys, every kind of scalar YAML can write, nesting.
_keys = st.sampled_from(DRILL_FIELDS + STEP_FIELDS + ("items", "drill", "fault", "fix", "x"))
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=60),
    st.sampled_from(["1:30", "0:20", "yes", "no", "~", "fall", "pose", "key", "both", ""]),
)
_structures = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=6),
        st.dictionaries(st.one_of(_keys, st.text(max_size=8)), children, max_size=8),
    ),
    max_leaves=40,
)


@given(st.dictionaries(_keys, _structures, max_size=14))
def test_random_mappings_dumped_to_yaml(data: dict):
    text = dump(data)
    check_outcome(lambda: load_text(text, "t.yaml", stem="t"))


@given(_structures)
def test_random_structures_dumped_to_yaml(data):
    text = dump(data, default_flow_style=True)
    check_outcome(lambda: load_text(text, "t.yaml", stem="t"))


_FIELDS_TO_BREAK = ["title", "phase", "summary", "steps", "sets", "rest", "faults"]


@given(st.sampled_from(_FIELDS_TO_BREAK), _structures)
def test_one_field_of_a_valid_drill_replaced(field: str, value):
    data = yaml.safe_load(VALID)
    data[field] = value
    text = dump(data)
    check_outcome(lambda: load_text(text, "t.yaml", stem="t"))


@given(st.integers(min_value=0, max_value=len(VALID)), st.text(min_size=1, max_size=20))
def test_text_spliced_into_a_valid_drill(at: int, insert: str):
    text = VALID[:at] + insert + VALID[at:]
    check_outcome(lambda: load_text(text, "t.yaml", stem="t"))


@given(st.binary(max_size=500))
@settings(max_examples=50)
def test_pure_python_loader_on_arbitrary_bytes(data: bytes):
    with mock.patch.object(yamlnodes, "_loader_class", lambda: yaml.SafeLoader):
        check_outcome(load_bytes(data))


@given(st.binary(max_size=1500), st.sampled_from(["d.yaml", "ok-id.yaml", "Bad Name.yml"]))
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_load_file_on_random_files(data: bytes, name: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        check_outcome(lambda: load_file(path))


def test_the_valid_base_drill_loads():
    """The mutations above start from a file that is valid as written."""
    drill = load_text(VALID, "t.yaml", stem="t")
    assert drill.steps[1].seconds == 90
