"""The corpus of broken and hostile drill files: each gets its exact, located messages.

``tests/data/bad/NAME.yaml`` holds a broken file, ``NAME.expected`` the exact lines
``pose-coach validate NAME.yaml`` prints on stderr when run inside that folder. Every
problem in a file is listed, in file order, not only the first.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
import yaml

from pose_coach.errors import DrillFileError
from pose_coach.library import yamlnodes
from pose_coach.library.loader import MAX_STEPS, load_file

BAD = Path(__file__).parents[1] / "data" / "bad"
CASES = sorted(p.stem for p in BAD.glob("*.yaml"))


def expected_lines(name: str) -> list[str]:
    return (BAD / f"{name}.expected").read_text(encoding="utf-8").splitlines()


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DrillFileError) as caught:
        load_file(path)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def in_bad(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(BAD)
    return BAD


def test_every_case_has_its_expected_messages():
    stems = {p.stem for p in BAD.glob("*.expected")}
    assert set(CASES) == stems
    assert len(CASES) >= 60


@pytest.mark.parametrize("name", CASES)
def test_loader_reports_exact_located_messages(in_bad: Path, name: str):
    assert problems_of(Path(f"{name}.yaml")) == expected_lines(name)


@pytest.mark.parametrize("name", CASES)
def test_validate_prints_them_on_stderr_and_exits_1(in_bad: Path, cli, name: str):
    result = cli("validate", f"{name}.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected_lines(name)
    count = len(expected_lines(name))
    plural = "s" if count != 1 else ""
    assert result.stdout == f"FAIL  {name}.yaml ({count} problem{plural})\n"


@pytest.mark.parametrize("name", CASES)
def test_pure_python_loader_refuses_them_too(in_bad: Path, name: str):
    """Without libyaml (SafeLoader fallback) every file is still refused, never a crash;
    outside YAML syntax errors (worded by the parser) the messages are identical."""
    with mock.patch.object(yamlnodes, "_loader_class", lambda: yaml.SafeLoader):
        got = problems_of(Path(f"{name}.yaml"))
    want = expected_lines(name)
    if any("invalid YAML" in line for line in want):
        assert len(got) == 1 and "invalid YAML" in got[0]
    else:
        assert got == want


@pytest.mark.parametrize("name", CASES)
def test_a_broken_user_file_never_shows_a_traceback(cli, user_drill, name: str):
    """The same files dropped into the user's library: `show` fails cleanly, `list` works."""
    data = (BAD / f"{name}.yaml").read_bytes()
    path = user_drill(name, "")
    path.write_bytes(data)
    shown = cli("show", name)
    assert shown.exit_code in (1, 2)
    assert shown.stdout == ""
    assert shown.stderr.startswith("pose-coach: error: ")
    assert "Traceback" not in shown.stderr
    assert all(line.isprintable() for line in shown.stderr.splitlines())
    listed = cli("list")
    assert listed.exit_code == 0
    assert "fall" in listed.stdout


def test_every_problem_reported_not_only_the_first(in_bad: Path):
    lines = problems_of(Path("many-errors.yaml"))
    assert [line.split(": ")[1] for line in lines] == [
        "title",
        "phase",
        "sets",
        "steps[0].seconds",
        "steps[1].side",
        "steps[2].cue",
        "steps[2].checkpoint",
    ]


def test_the_issue_example_reads_like_a_compiler(write_file, monkeypatch):
    path = write_file(
        "drills/wall-fall.yaml",
        "title: Wall fall\nphase: fall\nsummary: S\nsteps:\n"
        "  - cue: Lean\n    seconds: 5\n  - cue: Pull\n    seconds: ten\n",
    )
    monkeypatch.chdir(path.parent.parent)
    assert problems_of(Path("drills/wall-fall.yaml")) == [
        "drills/wall-fall.yaml:8:14: steps[1].seconds: "
        "expected seconds between 1 and 3600, got 'ten'"
    ]


# Cases too big to keep in the repository are generated here.


def test_file_over_one_mebibyte_is_refused_before_parsing(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("big.yaml").write_text("# " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    assert problems_of(Path("big.yaml")) == [
        "big.yaml: file is 1048579 bytes; the limit is 1048576 (1 MiB)"
    ]


def test_a_file_of_exactly_one_mebibyte_still_loads(tmp_path: Path):
    head = "title: T\nphase: fall\nsummary: S\nsteps:\n  - cue: Lean\n    seconds: 5\n#"
    path = tmp_path / "edge.yaml"
    path.write_text(head + "x" * (1024 * 1024 - len(head) - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == 1024 * 1024
    assert load_file(path).id == "edge"


def test_too_many_problems_are_capped_with_a_count(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    steps = "".join(f"  - cue: Step {i}\n    seconds: ten\n" for i in range(60))
    Path("noisy.yaml").write_text(f"title: T\nphase: fall\nsummary: S\nsteps:\n{steps}")
    lines = problems_of(Path("noisy.yaml"))
    assert len(lines) == 51
    assert lines[0].startswith("noisy.yaml:6:14: steps[0].seconds:")
    assert lines[-1] == "noisy.yaml: 10 more problems not shown"


def test_limits_are_inclusive(tmp_path: Path):
    """500 steps and exactly 4 hours are allowed; one more of either is not."""
    steps = "  - cue: Lean\n    seconds: 1\n" * MAX_STEPS
    path = tmp_path / "many.yaml"
    path.write_text(f"title: T\nphase: fall\nsummary: S\nsteps:\n{steps}")
    assert len(load_file(path).steps) == MAX_STEPS
    path = tmp_path / "long.yaml"
    head = "title: T\nphase: fall\nsummary: S\nsteps:\n  - cue: L\n    seconds: 1:00:00\n"
    path.write_text(head + "sets: 4\n")
    assert load_file(path).seconds == 4 * 3600
    path.write_text(head + "sets: 4\nrest: 1\n")
    assert problems_of(path)[0].endswith("sets, steps and rests last 4:00:03; the limit is 4:00:00")


def test_a_file_name_with_control_characters_is_shown_escaped(tmp_path: Path):
    path = tmp_path / "evil\x1b[31m.yaml"
    path.write_text("title: T\n")
    lines = problems_of(path)
    assert lines and all(line.isprintable() for line in lines)
    assert "evil\\x1b[31m.yaml" in lines[0]


def test_folders_and_special_files_are_refused_not_read(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("folder.yaml").mkdir()
    assert problems_of(Path("folder.yaml")) == ["folder.yaml: cannot read: a folder"]
    assert problems_of(Path("missing.yaml")) == [
        "missing.yaml: cannot read: No such file or directory"
    ]
    if Path("/dev/zero").exists():  # would never end if it were read
        assert problems_of(Path("/dev/zero")) == ["/dev/zero: cannot read: not a regular file"]
