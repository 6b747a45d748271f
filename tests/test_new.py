"""``pose-coach new drill|routine ID``: templates that validate as written, never overwriting."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest

from pose_coach.atomic import write_text_atomic
from pose_coach.commands.new import create_template
from pose_coach.errors import OutputError


def library(home: Path) -> Path:
    return home / "data" / "drills"


@pytest.mark.parametrize(
    ("kind", "relative"), [("drill", "hill-fall.yaml"), ("routine", "routines/hill-fall.yaml")]
)
def test_new_writes_a_template_that_validates_and_plays(cli, isolated_home, kind, relative):
    result = cli("new", kind, "hill-fall")
    assert result.exit_code == 0, result.stderr
    path = library(isolated_home) / relative
    assert result.stdout == f"{path}\n"  # stdout: the path only, for "$(pose-coach new ...)"
    quoted = shlex.quote(str(path))
    assert result.stderr.splitlines() == [
        f"pose-coach: created {kind} 'hill-fall'. Next:",
        f'  "$EDITOR" {quoted}',
        f"  pose-coach validate {quoted}",
        f"  pose-coach {kind} hill-fall",
    ]
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# A pose-coach {kind}")
    assert "id: hill-fall" in text and "title: Hill fall" in text

    checked = cli("validate", str(path), "--json")
    assert checked.exit_code == 0, checked.stdout
    report = json.loads(checked.stdout)[0]
    assert (report["ok"], report["kind"], report["id"]) == (True, kind, "hill-fall")
    assert report["warnings"] == []

    played = cli(kind, "hill-fall", "--dry-run", "--json")
    assert played.exit_code == 0, played.stderr
    events = [json.loads(line) for line in played.stdout.splitlines()]
    assert events[0]["event"] == "session_start" and events[0]["id"] == "hill-fall"


def test_new_json_output(cli, isolated_home):
    result = cli("new", "routine", "my-warmup", "--json")
    assert result.exit_code == 0, result.stderr
    path = library(isolated_home) / "routines" / "my-warmup.yaml"
    assert json.loads(result.stdout) == {"path": str(path), "id": "my-warmup", "kind": "routine"}


def test_new_never_overwrites(cli, isolated_home):
    assert cli("new", "drill", "hill-fall").exit_code == 0
    path = library(isolated_home) / "hill-fall.yaml"
    path.write_text("# my edits\n", encoding="utf-8")
    for kind in ("drill", "routine"):  # one id for both kinds: the routine would clash too
        result = cli("new", kind, "hill-fall")
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr.splitlines()[0] == (
            f"pose-coach: error: {path} already exists; nothing was written"
        )
        assert result.stderr.splitlines()[1].startswith('  hint: edit it ("$EDITOR" ')
    assert path.read_text(encoding="utf-8") == "# my edits\n"
    assert not (library(isolated_home) / "routines" / "hill-fall.yaml").exists()


@pytest.mark.parametrize(
    ("new_id", "hint"),
    [
        ("Hill_Fall", "hill-fall"),
        ("-x", "x"),
        ("a" * 41, "a" * 40),
        ("../evil", "evil"),
        ("", "hill-fall"),
        ("é", "hill-fall"),
        ("x\n", "x"),
        ("x\x1b[2J", "x-2j"),
    ],
)
def test_invalid_id_is_a_usage_error(cli, isolated_home, new_id, hint):
    result = cli("new", "drill", "--", new_id)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "is not a valid id: use lowercase letters, digits and hyphens" in result.stderr
    assert result.stderr.splitlines()[-1] == f"  hint: for example: pose-coach new drill {hint}"
    assert not library(isolated_home).exists()


def test_invalid_id_is_quoted_once_with_control_characters_escaped(cli, isolated_home):
    result = cli("new", "drill", "--", "x\x1b[2J")
    assert result.exit_code == 2
    assert result.stderr.startswith("pose-coach: error: 'x\\x1b[2J' is not a valid id: ")


def test_builtin_id_of_the_other_kind_is_refused(cli, isolated_home):
    result = cli("new", "routine", "fall")
    assert result.exit_code == 2
    assert "'fall' is the id of a built-in drill; a routine with that id would replace it" in (
        result.stderr
    )
    assert not library(isolated_home).exists()


def test_builtin_id_of_the_same_kind_is_replaced_with_a_warning(cli, isolated_home):
    result = cli("new", "drill", "fall")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        "pose-coach: warning: your drill 'fall' will replace the built-in one "
        "(see it with `pose-coach show fall`)"
    )
    shown = json.loads(cli("show", "fall", "--json").stdout)
    assert shown["source"] == str(library(isolated_home) / "fall.yaml")


def test_id_used_by_a_file_in_another_folder_is_refused(cli, isolated_home, tmp_path, monkeypatch):
    other = tmp_path / "team-drills"
    assert cli("new", "drill", "team-fall").exit_code == 0
    other.mkdir()
    (library(isolated_home) / "team-fall.yaml").rename(other / "team-fall.yaml")
    monkeypatch.setenv("POSE_COACH_DRILLS", str(other))
    result = cli("new", "drill", "team-fall")
    assert result.exit_code == 1
    assert f"the id 'team-fall' is already used by {other / 'team-fall.yaml'}" in result.stderr


def test_unwritable_library_is_one_line_exit_1(cli, isolated_home):
    (isolated_home / "data").mkdir()
    (isolated_home / "data" / "drills").write_text("not a folder", encoding="utf-8")
    result = cli("new", "drill", "hill-fall")
    assert result.exit_code == 1
    assert result.stderr.startswith("pose-coach: error: cannot create ")
    assert "Traceback" not in result.stderr


def test_exclusive_write_refuses_a_file_that_appears_after_the_check(tmp_path):
    """The race the existence check cannot see: the target appears while writing."""
    target = tmp_path / "x.yaml"

    def write(handle):
        target.write_text("someone else's\n", encoding="utf-8")
        handle.write(b"ours\n")

    from pose_coach.atomic import write_atomic

    with pytest.raises(OutputError) as caught:
        write_atomic(target, write, overwrite=False)
    assert caught.value.message == f"{target} already exists"
    assert target.read_text(encoding="utf-8") == "someone else's\n"
    assert os.listdir(tmp_path) == ["x.yaml"]  # no temporary file left behind


def test_write_text_atomic_refuses_existing_file(tmp_path):
    target = tmp_path / "x.yaml"
    target.write_text("keep\n", encoding="utf-8")
    with pytest.raises(OutputError):
        write_text_atomic(target, "new\n", overwrite=False)
    assert target.read_text(encoding="utf-8") == "keep\n"


def test_create_template_returns_path(isolated_home):
    path, warning = create_template("routine", "evening")
    assert path == library(isolated_home) / "routines" / "evening.yaml"
    assert warning is None
