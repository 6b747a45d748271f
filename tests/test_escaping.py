"""Outside text never reaches a terminal or a spreadsheet as something to run: one escaping
function for every stream (OSC sequences too), CSV cells that are never formulas, and
nothing quoted from a file a symlink smuggles into the library."""

from __future__ import annotations

import json

import pytest

from pose_coach.errors import printable

OSC = "\x1b]0;pwned\x07"  # sets the terminal's title: click strips only CSI sequences
CSI = "\x1b[2J"


def test_printable_escapes_every_control_sequence():
    for raw in (OSC, CSI, "\x9d8;;http://x\x9c", "line\nbreak", "bell\x07", "\x1b\\"):
        shown = printable(raw)
        assert shown.isprintable() and "\x1b" not in shown and "\x9d" not in shown
    assert printable(OSC) == "\\x1b]0;pwned\\x07"
    assert printable("plain text, é ✓") == "plain text, é ✓"


# -- POSE_COACH_HOME holding control characters ----------------------------------------


@pytest.fixture
def hostile_home(tmp_path, monkeypatch):
    home = tmp_path / f"home{OSC}with\nnewline"
    home.mkdir()
    monkeypatch.setenv("POSE_COACH_HOME", str(home))
    return home


@pytest.mark.parametrize("kind", ["drill", "routine"])
def test_new_with_a_hostile_home_escapes_it_and_writes_a_template_that_validates(
    cli, hostile_home, kind
):
    result = cli("new", kind, "hill-fall")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;pwned\\x07" in result.stderr
    path = hostile_home / "data" / "drills" / ("routines" if kind == "routine" else "")
    path = path / "hill-fall.yaml"
    assert result.stdout == f"{path}\n"  # in a pipe, the path as it is, for $(...)
    checked = cli("validate", str(path), "--json")
    assert checked.exit_code == 0, checked.stdout
    assert json.loads(checked.stdout)[0]["ok"] is True
    assert cli(kind, "hill-fall", "--dry-run").exit_code == 0


def test_doctor_escapes_the_home_folder(cli, hostile_home):
    result = cli("doctor")
    assert "\x1b" not in result.stdout + result.stderr
    assert "\\x1b]0;pwned\\x07" in result.stdout


def test_config_path_and_show_escape_a_hostile_path(cli, hostile_home):
    shown = cli("config", "show")
    assert "\x1b" not in shown.stdout and "\\x1b]0;pwned" in shown.stdout


# -- programs' words --------------------------------------------------------------------


def test_a_players_last_stderr_line_is_escaped(cli, tmp_path, monkeypatch):
    player = tmp_path / "player"
    player.write_text(f"#!/bin/sh\nprintf 'audio open error {OSC}{CSI}\\n' >&2\nexit 1\n")
    player.chmod(0o755)
    monkeypatch.setenv("POSE_COACH_PLAYER", str(player))
    result = cli("drill", "pose", "--plain", "--speed", "1000", "--sound", "--no-voice")
    assert result.exit_code == 0, result.stderr
    [warning] = [line for line in result.stderr.splitlines() if "sound:" in line]
    assert "audio open error \\x1b]0;pwned\\x07\\x1b[2J" in warning
    assert "\x1b" not in result.stderr


def test_a_speech_engines_words_and_a_voice_name_are_escaped(cli, tmp_path, monkeypatch):
    engine = tmp_path / "espeak-ng"
    engine.write_text(f"#!/bin/sh\nprintf 'voice {OSC} does not exist\\n' >&2\nexit 1\n")
    engine.chmod(0o755)
    monkeypatch.setenv("POSE_COACH_SPEECH_ENGINE", str(engine))
    result = cli("render", "pose", "-o", str(tmp_path / "p.wav"), "--voice-name", f"x{OSC}")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "has no voice 'x\\x1b]0;pwned\\x07'" in result.stderr
    engine.write_text(f"#!/bin/sh\nprintf 'crashed {OSC}\\n' >&2\nexit 3\n")
    result = cli("render", "pose", "-o", str(tmp_path / "p.wav"), "--voice")
    assert result.exit_code == 1
    assert "crashed \\x1b]0;pwned\\x07" in result.stderr and "\x1b" not in result.stderr


# -- a symlink to a file that is not a drill --------------------------------------------


def test_a_yaml_symlink_to_another_file_quotes_nothing_of_it(cli, tmp_path, user_drill):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:SECRET-VALUE:/root:/bin/bash\n")
    tokens = tmp_path / "hosts.yml"
    tokens.write_text("github.com:\n  oauth_token: SECRET-TOKEN\n")
    folder = user_drill("fine").parent
    (folder / "leak.yaml").symlink_to(secret)
    (folder / "hosts.yaml").symlink_to(tokens)
    for args in (("list",), ("validate", str(folder))):
        result = cli(*args)
        text = result.stdout + result.stderr
        assert "SECRET" not in text and "root:x" not in text and "github.com" not in text
        assert "leak.yaml" in text and "nothing of it is shown" in text
    own = folder / "typo.yaml"
    own.write_text("Wall fall\n")  # the user's own file: its words are still quoted
    assert "'Wall fall'" in cli("validate", str(own)).stderr
