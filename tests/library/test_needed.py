"""A session's library (library/needed.py): only the built-in files the session needs are
read, and every answer (the entry, its error, the warnings) is the whole library's."""

from __future__ import annotations

from pathlib import Path

import pytest

from pose_coach.errors import PoseCoachError
from pose_coach.library import catalog as catalog_module
from pose_coach.library.catalog import load_catalog
from pose_coach.library.needed import session_catalog

DRILL = "title: {title}\nphase: pose\nsummary: S.\nsteps:\n  - cue: Stand\n    seconds: 5\n"
BROKEN = "title: Broken\nphase: pose\nsummary: S\nsteps:\n  - cue: a\n    seconds: ten\n"


@pytest.fixture
def user_dir(isolated_home: Path) -> Path:
    folder = isolated_home / "data" / "drills"
    (folder / "routines").mkdir(parents=True)
    return folder


@pytest.fixture
def reads(monkeypatch):
    """Every drill file parsed."""
    seen: list[str] = []
    real = catalog_module.load_file

    def counted(path, source=None):
        seen.append(Path(path).name)
        return real(path, source=source)

    monkeypatch.setattr(catalog_module, "load_file", counted)
    return seen


def _answer(catalog, entry_id: str, kind: str | None):
    """What a session is told: the warnings, then the entry or the error's text."""
    try:
        got = catalog.get(entry_id, kind)
    except PoseCoachError as error:
        got = f"{type(error).__name__}: {error}"
    return catalog.warnings(entry_id), got, getattr(got, "shadows", None)


def test_a_drill_session_reads_its_file_and_the_users_files_alone(user_dir, reads):
    (user_dir / "mine.yaml").write_text(DRILL.format(title="Mine"))
    catalog = session_catalog("fall", "drill")
    assert sorted(reads) == ["fall.yaml", "mine.yaml"]
    assert catalog.get("fall", "drill") == load_catalog().entries["fall"]
    reads.clear()
    session_catalog("fall", "drill")
    assert reads == []  # the index holds both now


def test_a_routine_session_reads_the_routine_and_what_it_includes(user_dir, reads):
    catalog = session_catalog("warmup", "routine")
    read = set(reads)
    whole = load_catalog()
    included = {item.ref for item in whole.entries["warmup"].items if item.ref}
    assert read == {"warmup.yaml"} | {f"{ref}.yaml" for ref in included}
    assert set(catalog.entries) == {"warmup"} | included
    assert catalog.get("warmup", "routine") == whole.entries["warmup"]


def test_a_user_routine_brings_the_builtin_drills_it_names(user_dir, reads):
    (user_dir / "routines" / "mine.yaml").write_text(
        "title: Mine\nsummary: S.\nitems:\n  - drill: pose\n  - rest: 10\n  - drill: pull\n"
    )
    catalog = session_catalog("fall", "drill")
    assert sorted(reads) == ["fall.yaml", "mine.yaml", "pose.yaml", "pull.yaml"]
    assert catalog.warnings("fall") == []


CASES = {
    "a broken user file": {"bad.yaml": BROKEN},
    "four broken user files": {f"bad{n}.yaml": BROKEN for n in range(4)},
    "a user id defined twice": {"twin.yaml": DRILL.format(title="A"), "twin.yml": "x: ["},
    "a user file that shadows the built-in": {"fall.yaml": DRILL.format(title="My fall")},
    "a broken user file of a built-in name": {"fall.yaml": BROKEN},
    "a routine with an unknown drill": {
        "routines/typo.yaml": "title: T\nsummary: S\nitems:\n  - drill: wall-fal\n"
    },
    "a routine naming a broken file": {
        "bad.yaml": BROKEN,
        "routines/r.yaml": "title: T\nsummary: S\nitems:\n  - drill: bad\n",
    },
    "a user routine of a built-in drill's name": {
        "routines/fall.yaml": "title: F\nsummary: S\nitems:\n  - drill: pose\n"
    },
    "nothing of the user's": {},
}
ASKED = [
    ("fall", "drill"),
    ("fal", "drill"),
    ("warmup", "drill"),
    ("bad", "drill"),
    ("typo", "routine"),
    ("twin", "drill"),
    ("pose-basics", "routine"),
    ("fall-focus", "routine"),
]


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("asked", ASKED, ids=lambda a: f"{a[1]} {a[0]}")
def test_every_answer_is_the_whole_librarys(user_dir, case, asked):
    for name, text in CASES[case].items():
        (user_dir / name).write_text(text)
    entry_id, kind = asked
    whole = _answer(load_catalog(), entry_id, kind)
    assert _answer(session_catalog(entry_id, kind), entry_id, kind) == whole
    # and again with the index in place
    assert _answer(session_catalog(entry_id, kind), entry_id, kind) == whole


def test_a_session_still_warns_of_a_broken_unrelated_file(cli, user_dir, reads):
    (user_dir / "bad.yaml").write_text(BROKEN)
    done = cli("drill", "fall", "--dry-run")
    assert done.exit_code == 0, done.stderr
    assert done.stderr.startswith(f"pose-coach: warning: skipped {user_dir / 'bad.yaml'}:6:14")
    assert sorted(reads) == ["bad.yaml", "fall.yaml"]  # no other built-in file
