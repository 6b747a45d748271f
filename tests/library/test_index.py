"""The library index in the cache dir: unchanged files are never read again, any change
is, completion reads no drill file at all, and a broken or missing cache changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pose_coach.commands.common import completion_ids
from pose_coach.library import catalog as catalog_module
from pose_coach.library.catalog import load_catalog
from pose_coach.library.index import index_paths

DRILL = "title: {title}\nphase: pose\nsummary: S.\nsteps:\n  - cue: Stand\n    seconds: 5\n"
ROUTINE = "title: R\nsummary: S.\nitems:\n  - drill: mine\n  - rest: 10\n  - drill: poneyy\n"


@pytest.fixture
def user_dir(isolated_home: Path) -> Path:
    folder = isolated_home / "data" / "drills"
    (folder / "routines").mkdir(parents=True)
    (folder / "mine.yaml").write_text(DRILL.format(title="Mine"))
    (folder / "broken.yaml").write_text("title: B\nphase: pose\n")
    (folder / "routines" / "typo.yaml").write_text(ROUTINE)
    return folder


@pytest.fixture
def reads(monkeypatch):
    """Every drill file the catalog parses."""
    seen: list[str] = []
    real = catalog_module.load_file

    def counted(path, source=None):
        seen.append(Path(path).name)
        return real(path, source=source)

    monkeypatch.setattr(catalog_module, "load_file", counted)
    return seen


def _touch(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 10**9, before + 10**9))  # a later time, whatever the clock


def test_a_second_load_reads_no_file_and_gives_the_same_library(user_dir, reads):
    first = load_catalog()
    assert "mine.yaml" in reads and "typo.yaml" in reads
    reads.clear()
    second = load_catalog()
    assert reads == []
    assert second.entries == first.entries
    assert [e.problems for e in second.broken] == [e.problems for e in first.broken]


def test_a_changed_added_or_removed_file_is_seen(user_dir, reads):
    load_catalog()
    reads.clear()
    _touch(user_dir / "mine.yaml", DRILL.format(title="Mine, edited"))
    assert load_catalog().entries["mine"].title == "Mine, edited"
    assert reads == ["mine.yaml"]
    reads.clear()
    (user_dir / "new.yaml").write_text(DRILL.format(title="New"))
    (user_dir / "broken.yaml").unlink()
    catalog = load_catalog()
    assert reads == ["new.yaml"]
    assert "new" in catalog.entries
    assert not any("broken.yaml" in e.problems[0].path for e in catalog.broken)


def test_places_in_messages_follow_the_current_folder(user_dir, monkeypatch, tmp_path):
    load_catalog()
    monkeypatch.chdir(user_dir)
    catalog = load_catalog()
    paths = sorted(e.problems[0].path for e in catalog.broken)
    assert paths == ["broken.yaml", "routines/typo.yaml"]
    [typo] = [e for e in catalog.broken if "typo" in e.problems[0].path]
    assert str(typo.problems[0]) == (
        "routines/typo.yaml:6:12: items[2].drill: unknown drill 'poneyy' — did you mean 'pony'?"
    )


def test_a_damaged_index_is_ignored_and_rebuilt(user_dir, reads):
    load_catalog()
    full, ids = index_paths(user_dir, "user")
    full.write_bytes(b"\x00garbage{")
    ids.write_text('{"code": 1, "ids": [["x", "drill", "X"]]}')
    reads.clear()
    catalog = load_catalog()
    assert "mine" in catalog.entries and "mine.yaml" in reads
    assert ("x", "X") not in completion_ids(None)


def test_no_cache_folder_changes_nothing(user_dir, isolated_home, reads):
    (isolated_home / "cache").write_text("a file where the cache folder would be")
    for _ in range(2):
        catalog = load_catalog()
        assert "mine" in catalog.entries
    assert reads.count("mine.yaml") == 2


def test_completion_reads_no_drill_file_while_the_folders_are_unchanged(user_dir, reads):
    assert ("mine", "Mine") in completion_ids("drill")  # the first time loads the library
    reads.clear()
    ids = dict(completion_ids(None))
    assert reads == []
    assert ids["mine"] == "Mine" and ids["fall"] == "Fall from the pose"
    (user_dir / "later.yaml").write_text(DRILL.format(title="Later"))  # the folder changed
    assert ("later", "Later") in completion_ids("drill")
    assert reads == ["later.yaml"]


def test_completion_of_a_kind_offers_only_that_kind(user_dir):
    load_catalog()
    drills = {i for i, _ in completion_ids("drill")}
    routines = {i for i, _ in completion_ids("routine")}
    assert "mine" in drills and "warmup" in routines and not drills & routines


def test_every_field_of_every_built_in_entry_survives_the_index():
    from pose_coach.library.index import entry_from, entry_record

    for entry in load_catalog().entries.values():
        shown = "routines/x.yaml"
        again = entry_from(entry_record(entry, shown), shown)
        assert again == entry and type(again) is type(entry)
        assert hash(again) == hash(entry)
