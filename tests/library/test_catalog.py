"""The library search path: built-in → user folder → POSE_COACH_DRILLS, shadowing, clashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from pose_coach import paths
from pose_coach.errors import DrillFileError, UnknownIdError
from pose_coach.library.catalog import load_catalog

REPO = Path(__file__).resolve().parents[2]
BUILTIN_FILES = sorted(
    str(p.relative_to(REPO / "drills")) for p in (REPO / "drills").rglob("*.yaml")
)

DRILL = """\
title: {title}
phase: pose
summary: A drill for tests.
steps:
  - cue: Stand tall
    seconds: 5
"""


def write_drill(folder: Path, drill_id: str, title: str = "Mine") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{drill_id}.yaml"
    path.write_text(DRILL.format(title=title), encoding="utf-8")
    return path


@pytest.fixture
def user_dir(isolated_home: Path) -> Path:
    return isolated_home / "data" / "drills"


@pytest.fixture
def extra_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    folders = [tmp_path / "extra-a", tmp_path / "extra-b"]
    for folder in folders:
        folder.mkdir()
    # an empty entry (a stray separator) is ignored
    value = os.pathsep.join([str(folders[0]), "", str(folders[1])])
    monkeypatch.setenv("POSE_COACH_DRILLS", value)
    return folders


def test_search_path_is_builtin_then_user_then_each_env_folder(user_dir, extra_dirs):
    assert paths.library_dirs() == [
        ("builtin", REPO / "drills"),
        ("user", user_dir),
        ("user", extra_dirs[0]),
        ("user", extra_dirs[1]),
    ]


def test_drills_are_found_in_every_folder_with_their_paths_as_source(user_dir, extra_dirs):
    mine = write_drill(user_dir, "mine")
    first = write_drill(extra_dirs[0], "from-a")
    second = write_drill(extra_dirs[1], "from-b")
    catalog = load_catalog()
    assert catalog.entries["pose"].source == "builtin"
    assert catalog.entries["mine"].source == str(mine)
    assert catalog.entries["from-a"].source == str(first)
    assert catalog.entries["from-b"].source == str(second)
    assert not catalog.broken and not catalog.warnings()


def test_user_routines_folder_is_read(user_dir):
    write_drill(user_dir, "mine")
    routines = user_dir / "routines"
    routines.mkdir()
    (routines / "my-warmup.yaml").write_text(
        "title: My warm-up\nsummary: S\nitems:\n  - drill: mine\n  - rest: 10\n  - drill: pose\n"
    )
    catalog = load_catalog()
    assert catalog.entries["my-warmup"].kind == "routine"


def test_a_user_drill_shadows_a_builtin_and_show_says_so(cli, user_dir):
    path = write_drill(user_dir, "fall", title="My own fall")
    catalog = load_catalog()
    assert catalog.entries["fall"].title == "My own fall"
    assert catalog.entries["fall"].shadows == "built-in drill 'fall'"

    shown = cli("show", "fall")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.splitlines()[:2] == [
        "My own fall  [fall] · pose",
        f"user file {path} replaces the built-in drill 'fall'",
    ]
    assert shown.stderr == ""

    rows = {r["id"]: r for r in json.loads(cli("list", "--json").stdout)}
    assert rows["fall"]["source"] == str(path)
    assert rows["fall"]["shadows"] == "built-in drill 'fall'"
    assert rows["pose"]["source"] == "builtin"
    table = cli("list").stdout
    assert "My own fall  (user file, replaces built-in)" in table


def test_a_drill_in_an_env_folder_shadows_a_builtin_too(extra_dirs):
    write_drill(extra_dirs[1], "pull", title="Env pull")
    assert load_catalog().entries["pull"].title == "Env pull"


def test_two_user_files_with_one_id_is_an_error_naming_both(cli, user_dir, extra_dirs):
    first = write_drill(user_dir, "twin")
    second = write_drill(extra_dirs[0], "twin")
    both = f"id 'twin' is defined by both {first} and {second}; rename one of them"
    catalog = load_catalog()
    assert "twin" not in catalog.entries
    with pytest.raises(DrillFileError) as caught:
        catalog.get("twin")
    assert caught.value.problems[0].message == both

    shown = cli("show", "twin")
    assert shown.exit_code == 1
    assert shown.stdout == ""
    assert shown.stderr == f"pose-coach: error: {second}: id: {both}\n"

    listed = cli("list")
    assert listed.exit_code == 0
    assert "twin" not in listed.stdout and "wall-fall" in listed.stdout
    assert listed.stderr == f"pose-coach: warning: skipped id 'twin': {both}\n"


def test_a_clash_among_several_ids_asked_for_is_the_error_not_a_warning(user_dir, extra_dirs):
    write_drill(user_dir, "twin")
    write_drill(extra_dirs[0], "twin")
    catalog = load_catalog()
    assert catalog.warnings(("fall", "twin")) == []  # e.g. `sheet fall twin`
    assert [line.split(":")[0] for line in catalog.warnings(("fall",))] == ["skipped id 'twin'"]


def test_a_twin_of_a_builtin_in_two_user_folders_is_still_a_clash(user_dir, extra_dirs):
    write_drill(user_dir, "fall")
    write_drill(extra_dirs[1], "fall")
    catalog = load_catalog()
    assert "fall" not in catalog.entries
    assert "fall" in catalog.conflicts


BROKEN = "title: Broken\nphase: pose\nsummary: S\nsteps:\n  - cue: a\n    seconds: ten\n"


def test_a_broken_user_file_does_not_stop_the_rest(cli, user_dir):
    user_dir.mkdir(parents=True)
    bad = user_dir / "broken.yaml"
    bad.write_text(BROKEN)
    write_drill(user_dir, "mine")
    warning = (
        f"pose-coach: warning: skipped {bad}:6:14: steps[0].seconds: expected seconds "
        f"between 1 and 3600, got 'ten'; run `pose-coach validate {bad}`\n"
    )
    listed = cli("list")
    assert listed.exit_code == 0
    assert "mine" in listed.stdout and "broken" not in listed.stdout
    assert listed.stderr == warning  # once, naming the file and the command

    shown = cli("show", "mine")
    assert shown.exit_code == 0
    assert shown.stderr == warning

    # asking for the broken drill itself: its problem is the error, not a warning
    asked = cli("show", "broken")
    assert asked.exit_code == 1
    assert asked.stdout == ""
    assert asked.stderr == (
        f"pose-coach: error: {bad}:6:14: steps[0].seconds: expected seconds between 1 and "
        f"3600, got 'ten'\n  hint: run `pose-coach validate {bad}`\n"
    )


def test_a_routine_naming_an_unknown_drill_is_set_aside_with_a_suggestion(cli, user_dir):
    routines = user_dir / "routines"
    routines.mkdir(parents=True)
    path = routines / "typo.yaml"
    path.write_text("title: Typo\nsummary: S\nitems:\n  - drill: wall-fal\n")
    catalog = load_catalog()
    assert "typo" not in catalog.entries
    (problem,) = catalog.broken[0].problems
    assert str(problem).startswith(f"{path}:4:12: items[0].drill: unknown drill 'wall-fal'")
    assert str(problem).endswith("did you mean 'wall-fall'?")


def test_unknown_ids_suggest_the_closest_of_the_right_kind():
    catalog = load_catalog()
    with pytest.raises(UnknownIdError) as caught:
        catalog.get("fal")
    assert caught.value.message == "no drill 'fal'; did you mean 'fall'?"
    with pytest.raises(UnknownIdError) as caught:
        catalog.get("warmup", "drill")
    assert caught.value.hint == "'warmup' is a routine: try `pose-coach routine warmup`"
    with pytest.raises(UnknownIdError) as caught:
        catalog.get("zzzz")
    assert caught.value.message == "no drill or routine 'zzzz'"
    assert caught.value.hint == "see `pose-coach list` for every id"


def test_pose_coach_home_replaces_every_platform_directory(isolated_home, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    assert paths.data_dir() == isolated_home / "data"
    assert paths.config_dir() == isolated_home / "config"
    assert paths.cache_dir() == isolated_home / "cache"
    assert paths.user_library_dir() == isolated_home / "data" / "drills"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG directories are Linux's")
def test_without_pose_coach_home_the_platform_user_data_dir_is_used(monkeypatch, tmp_path):
    monkeypatch.delenv("POSE_COACH_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    folder = tmp_path / "xdg-data" / "pose-coach" / "drills"
    assert paths.user_library_dir() == folder
    write_drill(folder, "xdg-drill")
    assert "xdg-drill" in load_catalog().entries


def test_the_wheel_ships_the_builtin_library(tmp_path: Path):
    """A non-editable install finds the built-ins: they are inside the wheel's package."""
    pytest.importorskip("hatchling", reason="hatchling (in the test extra) builds the wheel")
    from hatchling.builders.wheel import WheelBuilder

    wheel = Path(next(iter(WheelBuilder(str(REPO)).build(directory=str(tmp_path)))))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "site")
    prefix = "pose_coach/drills/"
    shipped = sorted(n.removeprefix(prefix) for n in names if n.startswith(prefix))
    assert shipped == BUILTIN_FILES
    assert len(BUILTIN_FILES) >= 17

    # run from outside the repo, importing only the unpacked wheel
    script = textwrap.dedent(
        """
        import json
        from pose_coach.library.catalog import load_catalog
        from pose_coach.paths import builtin_library_dir
        catalog = load_catalog()
        print(json.dumps([str(builtin_library_dir()), catalog.ids(), len(catalog.broken)]))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "PYTHONSAFEPATH": "1"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    folder, ids, broken = json.loads(out.stdout)
    assert Path(folder) == tmp_path / "site" / "pose_coach" / "drills"
    assert set(ids) == set(load_catalog().ids()) and broken == 0

    # the documentation messages point to ships too: `pose-coach docs TOPIC` reads it
    assert "pose_coach/docs/README.md" in names and "pose_coach/docs/log.md" in names
    docs = subprocess.run(
        [sys.executable, "-m", "pose_coach", "docs", "log"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert docs.stdout == (REPO / "docs" / "log.md").read_text(encoding="utf-8")


def test_a_routine_bomb_is_refused_before_it_expands(user_dir):
    """Small files, each including the next 200 times: 200**4 × 50 drills if expanded."""
    routines = user_dir / "routines"
    routines.mkdir(parents=True)
    head = "title: B\nsummary: S\nitems:\n"
    (routines / "bomb5.yaml").write_text(head + "  - drill: pose\n" * 50)
    for level in range(1, 5):
        item = f"  - routine: bomb{level + 1}\n"
        (routines / f"bomb{level}.yaml").write_text(head + item * 200)
    catalog = load_catalog()  # returns at once: sizes are counted, not expanded
    refused = {Path(e.problems[0].path).stem: e.problems[0] for e in catalog.broken}
    assert set(refused) == {"bomb1", "bomb2", "bomb3", "bomb4"}
    # the pose drill with its run-out (added after the coach's review): 3:31 a time
    assert catalog.entries["bomb5"].kind == "routine"  # 50 × 3:31, under 4 hours
    assert str(refused["bomb4"]) == (
        f"{routines / 'bomb4.yaml'}:4:14: items: the routine expands to 586:07 hours of sets, "
        "steps and rests (the limit is 4 hours) and 120000 cues (the limit is 20000)"
    )
    assert refused["bomb1"].message == (
        "the routine expands to over 1000 hours of sets, steps and rests (the limit is "
        "4 hours) and over a million cues (the limit is 20000)"
    )


def test_validate_reports_a_routine_over_four_hours(cli, write_file, monkeypatch):
    items = "  - drill: pose\n    sets: 20\n" * 12  # 12 × (20 × 57 s + 19 × 20 s rest)
    path = write_file("lib/routines/long.yaml", "title: Long\nsummary: S\nitems:\n" + items)
    monkeypatch.chdir(path.parent.parent)
    result = cli("validate", "routines/long.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "routines/long.yaml:4:12: items: the routine expands to 5:04 hours of sets, steps and "
        "rests (the limit is 4 hours)\n"
    )
