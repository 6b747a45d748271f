"""POSE_COACH_HOME a file (or its cache folder unusable): sound and render still work, with
spoken clips made in a temporary folder for the run; one line says so where sound was
asked for, nothing where it was only the default; nothing crashes, nothing is left."""

from __future__ import annotations

import pytest

from pose_coach.audio import speech
from pose_coach.audio.setup import SoundRequest, prepare_bank, resolve_live
from pose_coach.library.catalog import load_catalog
from pose_coach.timeline import Dose, compile_timeline

WARNING = "cannot keep spoken clips in"


@pytest.fixture
def home_is_a_file(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.write_text("not a folder")
    monkeypatch.setenv("POSE_COACH_HOME", str(home))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(speech, "_fallback", speech._Fallback())  # one run: decided afresh
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # let TMPDIR be read again
    return tmp


def _timeline():
    catalog = load_catalog()
    return compile_timeline(catalog.get("pose"), catalog.entries, Dose(sets=1))


def test_render_works_and_says_so_in_one_line(cli, fake_bin, home_is_a_file, tmp_path):
    fake_bin.espeak()
    out = tmp_path / "pose.wav"
    result = cli("render", "pose", "-o", str(out), "--sets", "1")
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 44
    [line] = [line for line in result.stderr.splitlines() if WARNING in line]
    assert "Not a directory" in line and "made afresh for this run" in line
    assert fake_bin.calls("espeak-ng")  # spoken, not silent


def test_a_session_asked_to_speak_says_so_and_plays(cli, fake_bin, home_is_a_file):
    fake_bin.espeak()
    fake_bin.player()
    result = cli("drill", "pose", "--plain", "--speed", "50", "--sets", "1", "--voice")
    assert result.exit_code == 0, result.stderr
    assert sum(WARNING in line for line in result.stderr.splitlines()) == 1
    assert "this session was not recorded" in result.stderr  # the data folder: one line too
    assert fake_bin.calls("aplay")


def test_where_sound_is_only_the_default_it_carries_on_silently(fake_bin, home_is_a_file):
    fake_bin.espeak()
    fake_bin.player()
    setup = resolve_live(SoundRequest(), default_on=True)  # the live view at speed 1
    bank = prepare_bank(_timeline(), setup)
    assert setup.warnings == []
    assert bank.speech  # the cues are still spoken
    assert speech.cache_problem() is not None


def test_the_temporary_clips_go_at_exit(fake_bin, home_is_a_file, tmp_path):
    import os
    import subprocess
    import sys

    fake_bin.espeak()
    out = tmp_path / "pose.wav"
    done = subprocess.run(
        [sys.executable, "-m", "pose_coach", "render", "pose", "-o", str(out), "--sets", "1"],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert WARNING in done.stderr and out.exists()
    assert list(home_is_a_file.iterdir()) == []  # the run's clip folder is gone


def test_reading_commands_and_new_with_home_a_file(cli, home_is_a_file):
    for args in (("log",), ("stats", "--json"), ("list",), ("config", "show")):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
    made = cli("new", "drill", "hill-fall")
    assert made.exit_code == 1 and made.stderr.startswith("pose-coach: error: cannot create ")
    doctor = cli("doctor")
    assert "cannot be created:" in doctor.stdout and "is not a folder" in doctor.stdout
