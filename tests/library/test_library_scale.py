"""The library at scale and in odd places: folders that cannot be read or are listed twice,
chains of routines thousands deep, thousands of broken files, bounded "did you mean"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pose_coach.library import suggest
from pose_coach.library.catalog import (
    MAX_ROUTINE_DEPTH,
    Catalog,
    check_references,
    load_catalog,
)
from pose_coach.library.suggest import Suggester

DRILL = "title: {title}\nphase: pose\nsummary: S.\nsteps:\n  - cue: Stand\n    seconds: 5\n"
BUILTIN = Path(__file__).resolve().parents[2] / "drills"
BROKEN = "title: Broken\nphase: pose\nsummary: S\nsteps:\n  - cue: a\n    seconds: ten\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def user_dir(isolated_home: Path) -> Path:
    folder = isolated_home / "data" / "drills"
    folder.mkdir(parents=True)
    return folder


# -- folders --------------------------------------------------------------------------


def test_an_unreadable_folder_in_the_path_is_skipped_with_one_warning(
    cli, user_dir, tmp_path, monkeypatch
):
    write(user_dir, "mine.yaml", DRILL.format(title="Mine"))
    afile = tmp_path / "not-a-folder"
    afile.write_text("x")
    too_long = tmp_path / ("a" * 300)  # stat itself fails: ENAMETOOLONG
    monkeypatch.setenv("POSE_COACH_DRILLS", os.pathsep.join([str(afile), str(too_long)]))
    result = cli("list")
    assert result.exit_code == 0
    assert "mine" in result.stdout and "fall" in result.stdout
    assert result.stderr.splitlines() == [
        f"pose-coach: warning: skipped the library folder {afile}: it is not a folder",
        f"pose-coach: warning: skipped the library folder {too_long}: File name too long",
    ]
    assert cli("drill", "mine", "--dry-run").exit_code == 0


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any folder")
def test_a_folder_without_permission_is_skipped_with_one_warning(
    cli, user_dir, tmp_path, monkeypatch
):
    locked = tmp_path / "locked"
    write(locked, "x.yaml", DRILL.format(title="X"))
    locked.chmod(0)
    monkeypatch.setenv("POSE_COACH_DRILLS", str(locked))
    try:
        result = cli("list")
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 0 and "fall" in result.stdout
    assert result.stderr == (
        f"pose-coach: warning: skipped the library folder {locked}: Permission denied\n"
    )


def test_a_folder_listed_twice_or_again_is_read_once(cli, user_dir, tmp_path, monkeypatch):
    extra = tmp_path / "extra"
    write(extra, "hill-fall.yaml", DRILL.format(title="Hill"))
    write(user_dir, "mine.yaml", DRILL.format(title="Mine"))
    link = tmp_path / "same-extra"
    link.symlink_to(extra)
    builtin = Path(__file__).resolve().parents[2] / "drills"
    folders = [str(extra), str(extra), str(user_dir), str(link), str(builtin)]
    monkeypatch.setenv("POSE_COACH_DRILLS", os.pathsep.join(folders))
    result = cli("list", "--json")
    assert result.exit_code == 0
    assert result.stderr == ""  # nothing clashes with itself
    catalog = load_catalog()
    assert {"hill-fall", "mine", "fall"} <= set(catalog.entries)
    assert catalog.conflicts == {} and catalog.broken == []
    assert catalog.entries["fall"].source == "builtin" and catalog.entries["fall"].shadows is None


# -- validate: chains that end in a broken file ------------------------------------------


def test_validate_fails_a_routine_whose_chain_ends_in_a_broken_drill(cli, tmp_path, monkeypatch):
    folder = tmp_path / "lib"
    write(folder, "broken.yaml", BROKEN)
    write(folder, "routines/mid.yaml", "title: M\nsummary: S\nitems:\n  - drill: broken\n")
    write(
        folder,
        "routines/top.yaml",
        "title: T\nsummary: S\nitems:\n  - drill: pose\n  - routine: mid\n",
    )
    monkeypatch.chdir(folder)
    result = cli("validate", ".")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "broken.yaml:6:14: steps[0].seconds: expected seconds between 1 and 3600, got 'ten'",
        "routines/mid.yaml:4:12: items[0].drill: drill 'broken' could not be loaded: "
        "fix broken.yaml",
        "routines/top.yaml:5:14: items[1].routine: routine 'mid' could not be loaded: "
        "fix routines/mid.yaml",
    ]
    assert "OK" not in result.stdout.replace("0 OK", "")
    one = cli("validate", "routines/top.yaml")  # alone, against the library: still not OK
    assert one.exit_code == 1 and "unknown routine 'mid'" in one.stderr


# -- depth, and checking that stays linear ----------------------------------------------


def _chain(folder: Path, depth: int) -> None:
    """r0 includes r1 ... includes r{depth-1}, which holds a drill; rests keep it short."""
    for level in range(depth):
        inner = f"  - routine: r{level + 1}\n" if level < depth - 1 else "  - drill: pose\n"
        write(
            folder,
            f"routines/r{level}.yaml",
            f"title: R{level}\nsummary: S\nitems:\n  - rest: 1\n{inner}",
        )


def test_a_chain_deeper_than_the_limit_is_a_located_error(cli, user_dir, monkeypatch):
    _chain(user_dir, MAX_ROUTINE_DEPTH + 6)
    monkeypatch.chdir(user_dir)
    catalog = load_catalog()
    refused = {e.problems[0].path: e.problems for e in catalog.broken}
    assert sorted(refused) == sorted(f"routines/r{n}.yaml" for n in range(6))
    [problem] = refused["routines/r5.yaml"]
    assert str(problem) == (
        "routines/r5.yaml:5:14: items[1].routine: routines include routines 65 levels deep "
        "from here (the limit is 64); include fewer levels"
    )
    assert "r6" in catalog.entries
    assert cli("routine", "r6", "--dry-run").exit_code == 0
    shown = cli("show", "r0")
    assert shown.exit_code == 1 and "levels deep" in shown.stderr


class CountingDict(dict):
    """A library whose lookups are counted: the cost of checking, without a clock."""

    lookups = 0

    def get(self, key, default=None):
        CountingDict.lookups += 1
        return super().get(key, default)


@pytest.mark.parametrize("depth", [500, 2000])
def test_checking_a_deep_chain_is_linear_and_never_recursive(user_dir, depth):
    from pose_coach.library.loader import load_file

    _chain(user_dir, depth)
    catalog = load_catalog()  # 2000 levels: no RecursionError
    assert len(catalog.broken) == depth - MAX_ROUTINE_DEPTH
    # the same check again on a library that counts every lookup into it
    entries = CountingDict(load_catalog([("builtin", BUILTIN)]).entries)
    for path in (user_dir / "routines").glob("*.yaml"):
        routine = load_file(path)
        entries[routine.id] = routine
    CountingDict.lookups = 0
    check_references(Catalog(entries=entries))
    assert CountingDict.lookups < 40 * depth  # linear (it was about cubic)


def test_a_chain_leading_into_a_cycle_is_checked_in_linear_time(user_dir):
    for level in range(300):
        write(
            user_dir,
            f"routines/c{level}.yaml",
            f"title: C\nsummary: S\nitems:\n  - routine: c{level + 1}\n",
        )
    write(user_dir, "routines/c300.yaml", "title: C\nsummary: S\nitems:\n  - routine: c299\n")
    catalog = load_catalog()
    messages = {
        e.problems[0].path.rsplit("/", 1)[-1]: e.problems[0].message for e in catalog.broken
    }
    assert messages["c0.yaml"] == "routine 'c1' leads into a cycle: c299 → c300 → c299"
    assert messages["c300.yaml"] == "routines include each other in a cycle: c300 → c299 → c300"


# -- suggestions, bounded --------------------------------------------------------------


def test_suggestions_stay_within_their_budget_however_many_look_alike():
    ids = [f"user-drill-{n:05d}" for n in range(10_000)]
    suggester = Suggester(ids, budget=50_000)
    assert suggester.closest("user-drill-00042x") is not None
    for n in range(200):
        suggester.closest(f"user-drill-{n:05d}zz")
    assert suggester.budget >= -1  # never more than its budget of comparisons
    assert suggester.closest("user-drill-00042x") is not None  # memoised
    assert Suggester(["pony", "pose", "pull"]).closest("poney") == "pony"


def test_many_unknown_references_beside_a_large_library_cost_a_bounded_amount(
    user_dir, monkeypatch
):
    for n in range(300):
        write(user_dir, f"d{n:04d}.yaml", DRILL.format(title=f"D{n}"))
    items = "".join(f"  - drill: d{n:04d}x\n" for n in range(150))
    for r in range(5):
        write(user_dir, f"routines/bad{r}.yaml", f"title: B\nsummary: S\nitems:\n{items}")
    compared = []
    real = suggest.SequenceMatcher.quick_ratio

    def counted(self):
        compared.append(1)
        return real(self)

    monkeypatch.setattr(suggest, "BUDGET", 5_000)
    monkeypatch.setattr(suggest.SequenceMatcher, "quick_ratio", counted)
    catalog = load_catalog()
    assert len(catalog.broken) == 5
    assert len(compared) <= 5_000 + 10  # the budget, whatever the number of unknown ids
    first = catalog.broken[0].problems[0].message
    assert first == "unknown drill 'd0000x' — did you mean 'd0000'?"


# -- thousands of broken files: one line ------------------------------------------------


def test_many_broken_files_are_one_warning_and_validate_lists_them(cli, user_dir, monkeypatch):
    for n in range(60):
        write(user_dir, f"bad{n:02d}.yaml", BROKEN)
    write(user_dir, "good.yaml", DRILL.format(title="Good"))
    monkeypatch.chdir(user_dir)
    for args in (("list",), ("show", "good"), ("drill", "good", "--dry-run")):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        assert result.stderr.splitlines() == [
            "pose-coach: warning: skipped 60 files that are not valid drills or routines (the "
            "first: bad00.yaml:6:14: steps[0].seconds: expected seconds between 1 and 3600, "
            "got 'ten'); run `pose-coach validate .` for the list"
        ]
    checked = cli("validate", ".")
    assert checked.exit_code == 1
    assert sum(line.startswith("FAIL  bad") for line in checked.stdout.splitlines()) == 60
